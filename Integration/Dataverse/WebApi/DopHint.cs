namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// The server's recommended degree of parallelism, read from the x-ms-dop-hint header of every response
/// (webapi-notes §4.4), bounded by the console's own maximum.
/// </summary>
internal sealed class DopHint
{
    public const string HeaderName = "x-ms-dop-hint";

    private int _hint;

    /// <summary>The last hint seen, or null before any response carried one.</summary>
    public int? Latest => Volatile.Read(ref _hint) is var h && h > 0 ? h : null;

    public void Observe(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues(HeaderName, out var values)
            && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var hint)
            && hint > 0)
        {
            Volatile.Write(ref _hint, hint);
        }
    }

    /// <summary>The parallelism to use: the hint (1 when none was seen), never above <paramref name="maximum"/>.</summary>
    public int Effective(int maximum) => Math.Clamp(Latest ?? 1, 1, Math.Max(1, maximum));
}
