using System.Globalization;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>Entities/*: tables, their columns and choices, forms and views.</summary>
internal sealed partial class SolutionValidator
{
    private void ValidateEntity(EntitySource entity)
    {
        var document = entity.Entity;
        if (document.Root.Name != "Entity" || document.Root.Element("Name") is null)
        {
            Problem(document, document.Root, "the root must be <Entity> with a <Name>");
            return;
        }

        if (!string.Equals(entity.SchemaName, entity.FolderName, StringComparison.OrdinalIgnoreCase))
        {
            Problem(document, document.Root.Element("Name"), $"the entity is named '{entity.SchemaName}' but its folder is '{entity.FolderName}'");
        }

        if (entity.Info is null)
        {
            Problem(document, document.Root, "the entity has no <EntityInfo><entity> element");
            return;
        }

        if (entity.IsDefinedHere && !HasPrefix(entity.SchemaName))
        {
            Problem(document, document.Root.Element("Name"), $"the table '{entity.SchemaName}' is defined by this solution, so its name must start with the publisher prefix '{_prefix}_'");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in entity.Attributes)
        {
            var physical = (string?)attribute.Attribute("PhysicalName") ?? "";
            var logical = EntitySource.AttributeLogicalName(attribute);
            var type = (string?)attribute.Element("Type") ?? "";
            if (!seen.Add(logical))
            {
                Problem(document, attribute, $"the column '{logical}' is defined twice");
            }

            if (!SolutionRules.AttributeTypes.Contains(type))
            {
                Problem(document, attribute, $"the column '{physical}' has an unknown type '{type}'");
            }

            if (!string.Equals(physical, logical, StringComparison.OrdinalIgnoreCase))
            {
                Problem(document, attribute, $"the column's PhysicalName '{physical}' and LogicalName '{logical}' differ by more than case");
            }

            var custom = (string?)attribute.Element("IsCustomField") == "1";
            // A business process flow's table gets bpf_* columns (bpf_name, bpf_<table>id…) that Dataverse itself generates.
            var generated = entity.IsBusinessProcessFlow && physical.StartsWith("bpf_", StringComparison.OrdinalIgnoreCase);
            if (custom && !generated && !HasPrefix(physical))
            {
                Problem(document, attribute, $"the custom column '{physical}' must start with the publisher prefix '{_prefix}_'");
            }

            if (type is "picklist" or "multiselectpicklist")
            {
                ValidatePicklist(document, attribute, physical, custom);
            }
        }

        ValidateFormulas(entity);
        foreach (var form in entity.Forms)
        {
            var formId = form.Document.Root.Descendants("formid").FirstOrDefault();
            if (SourceIds.NormalizeId((string?)formId) is not { } id || id != SourceIds.NormalizeId(form.FormId))
            {
                Problem(form.Document, formId ?? (XObject)form.Document.Root, "the form's <formid> must be a GUID equal to its file name");
            }

            ValidateForm(entity, form);
        }

        if (entity.Forms.Count > 0 && entity.Entity.Root.Element("FormXml") is null)
        {
            Problem(entity.Entity, entity.Entity.Root, "the table has forms in FormXml/ but Entity.xml has no <FormXml /> element to carry them");
        }

        foreach (var view in entity.SavedQueries)
        {
            var queryId = view.Root.Descendants("savedqueryid").FirstOrDefault();
            if (SourceIds.NormalizeId((string?)queryId) is not { } id
                || id != SourceIds.NormalizeId(Path.GetFileNameWithoutExtension(view.RelativePath)))
            {
                Problem(view, queryId ?? (XObject)view.Root, "the view's <savedqueryid> must be a GUID equal to its file name");
            }
        }

        ValidateViews(entity);
        ValidateCharts(entity);
    }

    private void ValidatePicklist(SourceDocument document, XElement attribute, string physical, bool custom)
    {
        var globalName = (string?)attribute.Element("OptionSetName");
        var local = attribute.Element("optionset");
        if (globalName is not null)
        {
            if (HasPrefix(globalName) && !_source.OptionSets.Any(o => string.Equals((string?)o.Root.Attribute("Name"), globalName, StringComparison.OrdinalIgnoreCase)))
            {
                Problem(document, attribute, $"the choice column '{physical}' uses the global choice '{globalName}', which is not in OptionSets/");
            }

            return;
        }

        if (local is null)
        {
            Problem(document, attribute, $"the choice column '{physical}' has neither <OptionSetName> (global choice) nor an <optionset> (local choice)");
            return;
        }

        if (custom)
        {
            ValidateOptions(document, local, $"the choice column '{physical}'");
        }
    }

    private void ValidateOptions(SourceDocument document, XElement optionSet, string what)
    {
        var values = new HashSet<long>();
        foreach (var option in optionSet.Element("options")?.Elements("option") ?? [])
        {
            var text = (string?)option.Attribute("value");
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                Problem(document, option, $"{what} has an option value '{text}' that is not a number");
                continue;
            }

            if (!values.Add(value))
            {
                Problem(document, option, $"{what} has the option value {value} twice");
            }

        }

        if (values.Count == 0)
        {
            Problem(document, optionSet, $"{what} has no options");
        }
    }
}
