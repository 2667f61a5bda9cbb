using System.Xml;
using System.Xml.Linq;

namespace PartnerGuard.Packer.BestPractices;

/// <summary>Checks of the step registrations (SdkMessageProcessingSteps/*.xml) against the plug-in registration guidance.</summary>
internal static class RegistrationChecks
{
    public static void Check(SolutionSource source, List<SourceProblem> problems)
    {
        var seen = new Dictionary<string, SourceDocument>(StringComparer.OrdinalIgnoreCase);
        foreach (var step in source.Steps)
        {
            var root = step.Root;
            var message = SourceIds.MessageOf((string?)root.Element("SdkMessageId"));

            // An Update step without filtering attributes runs on every update of every column.
            if (message == "Update" && string.IsNullOrWhiteSpace((string?)root.Element("FilteringAttributes")))
            {
                problems.Add(BestPracticeProblem.Of(BestPracticeRule.FilteringAttributes, step.RelativePath, LineOf(root.Element("FilteringAttributes") ?? root),
                    $"the Update step '{(string?)root.Attribute("Name")}' has no <FilteringAttributes>; list the columns whose change it must react to"));
            }

            // The same type on the same message, table, stage and mode runs twice for one event.
            var key = string.Join("|",
                ((string?)root.Element("PluginTypeName") ?? "").Split(',')[0].Trim(),
                SourceIds.NormalizeId((string?)root.Element("SdkMessageId")) ?? "",
                (string?)root.Element("PrimaryEntity") ?? "",
                (string?)root.Element("Stage") ?? "",
                (string?)root.Element("Mode") ?? "");
            if (!seen.TryAdd(key, step))
            {
                problems.Add(BestPracticeProblem.Of(BestPracticeRule.DuplicateRegistration, step.RelativePath, LineOf(root),
                    $"registers the same plug-in type on the same message, table, stage and mode as {seen[key].RelativePath}"));
            }
        }
    }

    private static int? LineOf(XObject at) => at is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;
}
