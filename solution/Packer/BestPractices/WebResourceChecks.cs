using System.Text.RegularExpressions;

namespace PartnerGuard.Packer.BestPractices;

/// <summary>
/// Checks the JavaScript web resources the solution packs (every *.js web resource of the source's WebResources/) against the
/// client-scripting guidance, line by line on the text (comment lines starting with // skipped): no JavaScript parser is used, so
/// the patterns are the ones the rules name.
/// </summary>
internal static partial class WebResourceChecks
{
    private static readonly (BestPracticeRule Rule, Regex Pattern, string Detail)[] LineRules =
    [
        (BestPracticeRule.Async, SynchronousRequest(), "makes a synchronous request; use fetch or Xrm.WebApi (asynchronous)"),
        (BestPracticeRule.ClientContext, XrmPage(), "uses Xrm.Page; take the form context from executionContext.getFormContext()"),
        (BestPracticeRule.Crm2011OData, Crm2011OData(), "targets /XRMServices/2011/OrganizationData.svc; use the Web API (/api/data/v9.2/)"),
        (BestPracticeRule.Crm2011Soap, Crm2011Soap(), "targets /XRMServices/2011/Organization.svc; use the Web API (/api/data/v9.2/)"),
        (BestPracticeRule.NoDomAccess, DomAccess(), "reaches into the page's DOM; use the client API (formContext) instead"),
    ];

    public static void Check(SolutionSource source, List<SourceProblem> problems)
    {
        var scripts = source.WebResources.Select(w => w.ContentPath)
            .Where(p => p.EndsWith(".js", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);
        foreach (var relative in scripts)
        {
            var lines = File.ReadAllLines(Path.Combine(source.Directory, relative.Replace('/', Path.DirectorySeparatorChar)));
            if (!lines.Any(l => StrictMode().IsMatch(l)))
            {
                problems.Add(BestPracticeProblem.Of(BestPracticeRule.StrictMode, relative, 1, "the script has no \"use strict\" directive"));
            }

            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var (rule, pattern, detail) in LineRules.Where(r => r.Pattern.IsMatch(lines[i])))
                {
                    problems.Add(BestPracticeProblem.Of(rule, relative, i + 1, detail));
                }
            }
        }
    }

    [GeneratedRegex("""^\s*["']use strict["'];?""")]
    private static partial Regex StrictMode();

    [GeneratedRegex(@"\.open\s*\([^)]*,\s*false\s*\)|\basync\s*:\s*false\b")]
    private static partial Regex SynchronousRequest();

    [GeneratedRegex(@"\bXrm\.Page\b")]
    private static partial Regex XrmPage();

    [GeneratedRegex("/XRMServices/2011/OrganizationData\\.svc", RegexOptions.IgnoreCase)]
    private static partial Regex Crm2011OData();

    [GeneratedRegex("/XRMServices/2011/Organization\\.svc", RegexOptions.IgnoreCase)]
    private static partial Regex Crm2011Soap();

    [GeneratedRegex(@"\bdocument\.(getElementById|getElementsByClassName|getElementsByTagName|getElementsByName|querySelector|querySelectorAll)\b|\b(parent|top)\.document\b")]
    private static partial Regex DomAccess();
}
