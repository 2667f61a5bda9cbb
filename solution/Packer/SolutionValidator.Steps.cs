using System.Globalization;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>SdkMessageProcessingSteps/*.xml: message, stage, mode, images and the columns they name.</summary>
internal sealed partial class SolutionValidator
{
    private void ValidateStep(SourceDocument step, Dictionary<string, (PluginAssemblySource Assembly, XElement Type)> pluginTypes)
    {
        var root = step.Root;
        if (root.Name != "SdkMessageProcessingStep")
        {
            Problem(step, root, "the root must be <SdkMessageProcessingStep>");
            return;
        }

        var id = SourceIds.NormalizeId((string?)root.Attribute("SdkMessageProcessingStepId"));
        if (id is null || id != SourceIds.NormalizeId(Path.GetFileNameWithoutExtension(step.RelativePath)))
        {
            Problem(step, root, "SdkMessageProcessingStepId must be a GUID equal to the file name {guid}.xml");
        }

        var typeId = SourceIds.NormalizeId((string?)root.Element("PluginTypeId"));
        var typeName = ((string?)root.Element("PluginTypeName") ?? "").Split(',')[0].Trim();
        if (typeId is null || !pluginTypes.TryGetValue(typeId, out var pluginType))
        {
            Problem(step, root.Element("PluginTypeId") ?? (XObject)root, $"PluginTypeId '{(string?)root.Element("PluginTypeId")}' names no plugin type of any PluginAssemblies/*/*.dll.data.xml");
        }
        else if (!string.Equals((string?)pluginType.Type.Attribute("Name"), typeName, StringComparison.Ordinal))
        {
            Problem(step, root.Element("PluginTypeName"), $"PluginTypeName names '{typeName}', but PluginTypeId is the type '{(string?)pluginType.Type.Attribute("Name")}'");
        }

        var messageId = SourceIds.NormalizeId((string?)root.Element("SdkMessageId"));
        if (messageId is null)
        {
            Problem(step, root.Element("SdkMessageId") ?? (XObject)root, "SdkMessageId must be the GUID of the message");
        }

        var message = messageId is not null && SourceIds.KnownMessages.TryGetValue(messageId, out var known) ? known : null;
        var primaryEntity = (string?)root.Element("PrimaryEntity") ?? "";
        var stageText = (string?)root.Element("Stage");
        var modeText = (string?)root.Element("Mode");
        if (!int.TryParse(stageText, CultureInfo.InvariantCulture, out var stage) || !SolutionRules.Stages.Contains(stage))
        {
            Problem(step, root.Element("Stage") ?? (XObject)root, $"Stage '{stageText}' must be 10 (PreValidation), 20 (PreOperation) or 40 (PostOperation)");
        }

        if (modeText is not ("0" or "1"))
        {
            Problem(step, root.Element("Mode") ?? (XObject)root, $"Mode '{modeText}' must be 0 (synchronous) or 1 (asynchronous)");
        }
        else if (modeText == "1" && stage != 40)
        {
            Problem(step, root.Element("Mode"), "an asynchronous step (Mode 1) must be registered in stage 40 (PostOperation)");
        }

        if (!int.TryParse((string?)root.Element("Rank"), CultureInfo.InvariantCulture, out _))
        {
            Problem(step, root.Element("Rank") ?? (XObject)root, "Rank must be a whole number (the execution order)");
        }

        var entity = _source.FindEntity(primaryEntity);
        CheckColumns(step, root.Element("FilteringAttributes"), entity, primaryEntity, "filtering attribute");
        foreach (var image in root.Element("SdkMessageProcessingStepImages")?.Elements("SdkMessageProcessingStepImage") ?? [])
        {
            var imageName = (string?)image.Attribute("Name") ?? "";
            if (SourceIds.NormalizeId((string?)image.Element("SdkMessageProcessingStepImageId")) is null)
            {
                Problem(step, image, $"the image '{imageName}' needs a SdkMessageProcessingStepImageId GUID");
            }

            if (string.IsNullOrWhiteSpace((string?)image.Element("EntityAlias")))
            {
                Problem(step, image, $"the image '{imageName}' needs an EntityAlias");
            }

            var imageType = (string?)image.Element("ImageType");
            if (imageType is not ("0" or "1" or "2"))
            {
                Problem(step, image, $"the image '{imageName}' has ImageType '{imageType}'; use 0 (pre), 1 (post) or 2 (both)");
            }

            if (message == "Create" && imageType is "0" or "2")
            {
                Problem(step, image, $"the image '{imageName}' is a pre-image on Create, which Dataverse does not provide");
            }

            if (imageType is "1" or "2" && stage != 40)
            {
                Problem(step, image, $"the image '{imageName}' is a post-image, which exists only in stage 40 (PostOperation)");
            }

            CheckColumns(step, image.Element("Attributes"), entity, primaryEntity, $"column of the image '{imageName}'");
        }
    }

    private void CheckColumns(SourceDocument document, XElement? list, EntitySource? entity, string entityName, string what)
    {
        var text = (string?)list ?? "";
        foreach (var column in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (column != column.ToLowerInvariant())
            {
                Problem(document, list, $"the {what} '{column}' must be a logical name (lower case)");
            }

            // A table defined here lists every column; a shell of a system table lists only the columns this solution adds.
            var mustExist = entity is not null && (entity.IsDefinedHere || HasPrefix(column));
            if (mustExist && entity!.FindAttribute(column) is null)
            {
                Problem(document, list, $"the {what} '{column}' is not a column of '{entityName}'");
            }
            else if (entity is null && HasPrefix(column))
            {
                Problem(document, list, $"the {what} '{column}' belongs to this solution, but the table '{entityName}' is not in Entities/");
            }
        }
    }
}
