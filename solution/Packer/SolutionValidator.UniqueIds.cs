namespace PartnerGuard.Packer;

/// <summary>Ids unique across the whole solution.</summary>
internal sealed partial class SolutionValidator
{
    private void ValidateUniqueIds()
    {
        var seen = new Dictionary<string, string>();
        void Add(SourceDocument document, string? raw, string what)
        {
            if (SourceIds.NormalizeId(raw) is not { } id)
            {
                return;
            }

            if (seen.TryGetValue(id, out var first))
            {
                Problem(document, null, $"the id {{{id}}} of {what} is already used by {first}; every id must be unique");
            }
            else
            {
                seen[id] = $"{what} in {document.RelativePath}";
            }
        }

        foreach (var assembly in _source.PluginAssemblies)
        {
            Add(assembly.Data, (string?)assembly.Data.Root.Attribute("PluginAssemblyId"), "the plugin assembly");
            foreach (var type in assembly.Data.Root.Element("PluginTypes")?.Elements("PluginType") ?? [])
            {
                Add(assembly.Data, (string?)type.Attribute("PluginTypeId"), $"the plugin type '{(string?)type.Attribute("Name")}'");
            }
        }

        foreach (var step in _source.Steps)
        {
            Add(step, (string?)step.Root.Attribute("SdkMessageProcessingStepId"), "the step");
            foreach (var image in step.Root.Descendants("SdkMessageProcessingStepImage"))
            {
                Add(step, (string?)image.Element("SdkMessageProcessingStepImageId"), $"the image '{(string?)image.Attribute("Name")}'");
            }
        }

        foreach (var role in _source.Roles)
        {
            Add(role, (string?)role.Root.Attribute("id"), "the role");
        }

        foreach (var entity in _source.Entities)
        {
            foreach (var form in entity.Forms.Where(f => !f.IsManagedVariant))
            {
                Add(form.Document, (string?)form.Document.Root.Descendants("formid").FirstOrDefault(), "the form");
            }

            foreach (var view in entity.SavedQueries)
            {
                Add(view, (string?)view.Root.Descendants("savedqueryid").FirstOrDefault(), "the view");
            }

            foreach (var chart in entity.Visualizations)
            {
                Add(chart, (string?)chart.Root.Element("savedqueryvisualizationid"), "the chart");
            }
        }

        foreach (var dashboard in _source.Dashboards)
        {
            Add(dashboard, (string?)dashboard.Root.Element("FormId"), "the dashboard");
        }
    }
}
