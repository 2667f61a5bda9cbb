using System.Globalization;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>Other/Solution.xml: the solution and publisher names, the version, the prefixes the other checks use.</summary>
internal sealed partial class SolutionValidator
{
    private void ValidateManifest(SourceDocument manifest)
    {
        var root = manifest.Root;
        var sm = root.Element("SolutionManifest");
        if (root.Name != "ImportExportXml" || sm is null)
        {
            Problem(manifest, root, "the root must be <ImportExportXml> holding a <SolutionManifest>");
            return;
        }

        var uniqueName = (string?)sm.Element("UniqueName") ?? "";
        if (!SolutionRules.UniqueName().IsMatch(uniqueName))
        {
            Problem(manifest, sm.Element("UniqueName") ?? (XObject)sm, $"UniqueName '{uniqueName}' must be letters, digits and underscores, not starting with a digit");
        }

        var version = (string?)sm.Element("Version") ?? "";
        if (!SolutionRules.FourPartVersion().IsMatch(version))
        {
            Problem(manifest, sm.Element("Version") ?? (XObject)sm, $"Version '{version}' must have four numeric parts, major.minor.build.revision (e.g. 1.0.0.0)");
        }

        var managed = (string?)sm.Element("Managed");
        if (managed is not ("0" or "1" or "2"))
        {
            Problem(manifest, sm.Element("Managed") ?? (XObject)sm, $"Managed '{managed}' must be 0 (unmanaged), 1 (managed) or 2 (source for both)");
        }

        var publisher = sm.Element("Publisher");
        if (publisher is null)
        {
            Problem(manifest, sm, "the manifest has no <Publisher>");
            return;
        }

        var publisherName = (string?)publisher.Element("UniqueName") ?? "";
        if (!SolutionRules.UniqueName().IsMatch(publisherName))
        {
            Problem(manifest, publisher, $"publisher UniqueName '{publisherName}' must be letters, digits and underscores, not starting with a digit");
        }

        _prefix = (string?)publisher.Element("CustomizationPrefix") ?? "";
        if (!SolutionRules.IsValidPrefix(_prefix))
        {
            Problem(manifest, publisher.Element("CustomizationPrefix") ?? (XObject)publisher,
                $"CustomizationPrefix '{_prefix}' must be 2 to 8 letters or digits, start with a letter and not start with 'mscrm'");
        }

        var optionPrefix = (string?)publisher.Element("CustomizationOptionValuePrefix");
        if (!int.TryParse(optionPrefix, NumberStyles.None, CultureInfo.InvariantCulture, out var optionValuePrefix)
            || !SolutionRules.IsValidOptionValuePrefix(optionValuePrefix))
        {
            Problem(manifest, publisher.Element("CustomizationOptionValuePrefix") ?? (XObject)publisher,
                $"CustomizationOptionValuePrefix '{optionPrefix}' must be a number from 10000 to 99999");
        }
    }
}
