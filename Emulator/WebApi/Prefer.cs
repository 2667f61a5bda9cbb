using System.Globalization;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// The request's <c>Prefer</c> preferences ("Compose HTTP requests and handle errors"): return=representation,
/// odata.maxpagesize, odata.include-annotations (a list of names or patterns ending in <c>*</c>) and
/// odata.continue-on-error. Several preferences may share one header or come in several headers.
/// </summary>
internal sealed class Prefer
{
    public const string FormattedValue = "OData.Community.Display.V1.FormattedValue";
    public const string LookupLogicalName = "Microsoft.Dynamics.CRM.lookuplogicalname";
    public const string AssociatedNavigationProperty = "Microsoft.Dynamics.CRM.associatednavigationproperty";
    public const string FetchXmlPagingCookie = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";
    public const string MoreRecords = "Microsoft.Dynamics.CRM.morerecords";
    public const string TotalRecordCount = "Microsoft.Dynamics.CRM.totalrecordcount";
    public const string TotalRecordCountLimitExceeded = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";

    private readonly List<string> _annotations = new();

    public bool ReturnRepresentation { get; private set; }

    public int? MaxPageSize { get; private set; }

    public bool ContinueOnError { get; private set; }

    public bool HasAnnotations => _annotations.Count > 0;

    public static Prefer Parse(IEnumerable<string> headerValues)
    {
        var prefer = new Prefer();
        foreach (var header in headerValues)
        {
            foreach (var raw in SplitOutsideQuotes(header))
            {
                var item = raw.Trim();
                if (item.Length == 0)
                {
                    continue;
                }

                var eq = item.IndexOf('=');
                var name = (eq < 0 ? item : item[..eq]).Trim();
                var value = eq < 0 ? string.Empty : item[(eq + 1)..].Trim().Trim('"');
                switch (name.ToLowerInvariant())
                {
                    case "return":
                        prefer.ReturnRepresentation = value.Equals("representation", StringComparison.OrdinalIgnoreCase);
                        break;
                    case "odata.maxpagesize":
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0)
                        {
                            throw WebApiException.BadRequest($"The Prefer header odata.maxpagesize={value} is not a positive whole number.");
                        }

                        prefer.MaxPageSize = size;
                        break;
                    case "odata.include-annotations":
                        prefer._annotations.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                        break;
                    case "odata.continue-on-error":
                        prefer.ContinueOnError = value.Length == 0 || !value.Equals("false", StringComparison.OrdinalIgnoreCase);
                        break;
                }
            }
        }

        return prefer;
    }

    /// <summary>True when the client asked for the annotation (by name, by a pattern ending in *, or with *).</summary>
    public bool Includes(string annotation)
    {
        foreach (var pattern in _annotations)
        {
            if (pattern == "*" || pattern.Equals(annotation, StringComparison.OrdinalIgnoreCase)
                || (pattern.EndsWith('*') && annotation.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> SplitOutsideQuotes(string header)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] == '"')
            {
                quoted = !quoted;
            }
            else if (header[i] == ',' && !quoted)
            {
                yield return header[start..i];
                start = i + 1;
            }
        }

        yield return header[start..];
    }
}
