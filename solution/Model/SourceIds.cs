namespace PartnerGuard.SolutionModel;

/// <summary>Ids as solution files write them, and the platform's well-known message ids.</summary>
public static class SourceIds
{
    /// <summary>Well-known SdkMessage ids, the same in every organization (Microsoft Learn "use messages"; real exports).</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownMessages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["9ebdbb1b-ea3e-db11-86a7-000a3a5473e8"] = "Create",
        ["20bebb1b-ea3e-db11-86a7-000a3a5473e8"] = "Update",
    };

    /// <summary>Normalizes a GUID written with or without braces to lower case without braces; null when it is not a GUID.</summary>
    public static string? NormalizeId(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return Guid.TryParse(text.Trim().Trim('{', '}'), out var id) ? id.ToString("D") : null;
    }

    /// <summary>The message a step file registers for: its SdkMessageId when well known, else null.</summary>
    public static string? MessageOf(string? sdkMessageId) =>
        NormalizeId(sdkMessageId) is { } id && KnownMessages.TryGetValue(id, out var name) ? name : null;
}
