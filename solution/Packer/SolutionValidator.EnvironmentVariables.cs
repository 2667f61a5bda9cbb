using System.Globalization;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>environmentvariabledefinitions/*: names, types and default values.</summary>
internal sealed partial class SolutionValidator
{
    private void ValidateEnvironmentVariable(EnvironmentVariableSource variable)
    {
        var document = variable.Definition;
        var root = document.Root;
        var schemaName = (string?)root.Attribute("schemaname") ?? "";
        if (root.Name != "environmentvariabledefinition")
        {
            Problem(document, root, "the root must be <environmentvariabledefinition schemaname=\"…\">");
            return;
        }

        if (!string.Equals(schemaName, variable.FolderName, StringComparison.Ordinal))
        {
            Problem(document, root, $"schemaname '{schemaName}' must equal the folder name '{variable.FolderName}'");
        }

        if (!HasPrefix(schemaName))
        {
            Problem(document, root, $"the environment variable '{schemaName}' must start with the publisher prefix '{_prefix}_'");
        }

        var typeText = (string?)root.Element("type");
        if (!int.TryParse(typeText, CultureInfo.InvariantCulture, out var type)
            || type < SolutionRules.EnvironmentVariableTypeString || type > SolutionRules.EnvironmentVariableTypeSecret)
        {
            Problem(document, root.Element("type") ?? (XObject)root, $"type '{typeText}' must be 100000000 (String) to 100000005 (Secret)");
            return;
        }

        var defaultValue = (string?)root.Element("defaultvalue");
        if (defaultValue is null)
        {
            return;
        }

        if (type == SolutionRules.EnvironmentVariableTypeBoolean && !SolutionRules.BooleanEnvironmentValues.Contains(defaultValue))
        {
            Problem(document, root.Element("defaultvalue"), $"a Boolean environment variable stores 'yes' or 'no'; the default is '{defaultValue}'");
        }

        if (type == SolutionRules.EnvironmentVariableTypeNumber
            && !decimal.TryParse(defaultValue, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            Problem(document, root.Element("defaultvalue"), $"a Number environment variable needs a numeric default; the default is '{defaultValue}'");
        }
    }
}
