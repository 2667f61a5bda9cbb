using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// Bridges two query shapes the console sends and the emulator's Web API does not serve yet, so the real console
/// can run against it: the <c>Microsoft.Dynamics.CRM.In(PropertyName=…,PropertyValues=[…])</c> filter function
/// (the emulator answers 400 "unknown function") and <c>$expand</c> (400 "not supported"). A GET whose
/// <c>$filter</c> holds In(...) is sent as the equivalent FetchXML query (<c>operator='in'</c>, which the emulator
/// serves), with <c>$expand</c> dropped. It is one request either way, so request counts are unchanged; only the
/// URL differs. Dropping <c>$expand</c> is exact for the benchmark org, whose environment variables have no value
/// rows (the settings are the definitions' defaults either way). Every other request passes through untouched.
/// </summary>
internal sealed partial class EmulatorQueryShim : DelegatingHandler
{
    private int _rewritten;

    public EmulatorQueryShim(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>How many requests were rewritten.</summary>
    public int Rewritten => Volatile.Read(ref _rewritten);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get && request.RequestUri is { } uri && Rewrite(uri) is { } rewritten)
        {
            request.RequestUri = rewritten;
            Interlocked.Increment(ref _rewritten);
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The FetchXML form of a query whose $filter is a conjunction of In(...) and "column eq literal"; null when it is not such a query.</summary>
    internal static Uri? Rewrite(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (!query.Contains("Microsoft.Dynamics.CRM.In(", StringComparison.Ordinal))
        {
            return null;
        }

        var options = query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty), StringComparer.Ordinal);
        if (!options.TryGetValue("$filter", out var filter) || options.Keys.Except(["$select", "$filter", "$expand"]).Any())
        {
            return null;
        }

        var path = uri.AbsolutePath;
        var set = path[(path.LastIndexOf('/') + 1)..];
        var table = set.EndsWith('s') ? set[..^1] : set;
        var fetch = new StringBuilder($"<fetch><entity name='{table}'>");
        foreach (var column in options.GetValueOrDefault("$select", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = LookupValue().Match(column) is { Success: true } lookup ? lookup.Groups[1].Value : column;
            fetch.Append(Invariant($"<attribute name='{name}'/>"));
        }

        fetch.Append("<filter type='and'>");
        foreach (var term in filter.Split(" and ", StringSplitOptions.TrimEntries))
        {
            if (InFunction().Match(term) is { Success: true } inTerm)
            {
                fetch.Append(Invariant($"<condition attribute='{inTerm.Groups[1].Value}' operator='in'>"));
                foreach (Match value in QuotedValue().Matches(inTerm.Groups[2].Value))
                {
                    fetch.Append(Invariant($"<value>{SecurityElement.Escape(value.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal))}</value>"));
                }

                fetch.Append("</condition>");
            }
            else if (Equality().Match(term) is { Success: true } equal)
            {
                fetch.Append(Invariant($"<condition attribute='{equal.Groups[1].Value}' operator='eq' value='{SecurityElement.Escape(equal.Groups[2].Value.Trim('\''))}'/>"));
            }
            else
            {
                return null;
            }
        }

        fetch.Append("</filter></entity></fetch>");
        return new Uri(uri.GetLeftPart(UriPartial.Path) + "?fetchXml=" + Uri.EscapeDataString(fetch.ToString()));
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex(@"^_(\w+)_value$")]
    private static partial Regex LookupValue();

    [GeneratedRegex(@"^Microsoft\.Dynamics\.CRM\.In\(PropertyName='(\w+)',PropertyValues=\[(.*)\]\)$")]
    private static partial Regex InFunction();

    [GeneratedRegex(@"'((?:[^']|'')*)'")]
    private static partial Regex QuotedValue();

    [GeneratedRegex(@"^(\w+) eq ('(?:[^']|'')*'|[\w.-]+)$")]
    private static partial Regex Equality();
}
