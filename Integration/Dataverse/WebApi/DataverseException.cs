namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>A request Dataverse answered with an error; <see cref="Error"/> holds the parsed payload.</summary>
internal sealed class DataverseException : Exception
{
    public DataverseException(DataverseError error)
        : base(error.ToString())
    {
        Error = error;
    }

    public DataverseError Error { get; }
}
