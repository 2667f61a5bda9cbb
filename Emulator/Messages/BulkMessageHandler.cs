using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Messages;

/// <summary>
/// CreateMultiple and UpdateMultiple: the message on the whole Targets collection, then one single-item
/// Create/Update invocation per item, so single-item steps fire for each (merged pipeline).
/// </summary>
internal abstract class BulkMessageHandler : PipelineMessageHandler
{
    /// <summary>The single-item message each target fires.</summary>
    protected abstract string ItemMessage { get; }

    private bool IsUpdate => ItemMessage == "Update";

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var (table, targets) = Targets(org, request);
        var preRows = new Row?[targets.Entities.Count];
        var items = new List<Invocation>();
        for (var i = 0; i < targets.Entities.Count; i++)
        {
            var item = targets.Entities[i];
            Row? pre = null;
            var id = item.Id;
            if (IsUpdate)
            {
                id = DataverseOrg.IdOf(table, item, required: true);
                pre = org.Store.Find(table.LogicalName, id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, id);
            }

            preRows[i] = pre;
            var itemInput = new ParameterCollection { ["Target"] = item };
            if (IsUpdate && request.Parameters.TryGetValue("ConcurrencyBehavior", out var concurrency) && concurrency is not null)
            {
                itemInput["ConcurrencyBehavior"] = concurrency;
            }

            items.Add(new Invocation { Message = ItemMessage, Table = table, Input = itemInput, PrimaryId = id, PreRow = pre });
        }

        var list = new Invocation { Message = Name, Table = table, Input = request.Parameters, PreRows = IsUpdate ? preRows : null }.Alone();
        list.AddRange(items);
        return list;
    }

    private static (TableMetadata Table, EntityCollection Targets) Targets(DataverseOrg org, OrganizationRequest request)
    {
        // Validation texts follow the platform's CreateMultiple/UpdateMultiple faults (shared/reference/sdk-and-pipeline-notes.md §4.6).
        if (!request.Parameters.TryGetValue("Targets", out var value) || value is null)
        {
            throw OrgFaults.InvalidArgument("Required field 'Targets' is missing");
        }

        if (value is not EntityCollection targets)
        {
            throw OrgFaults.InvalidArgument($"The parameter 'Targets' must be an EntityCollection, not {value.GetType().Name}.");
        }

        if (string.IsNullOrEmpty(targets.EntityName))
        {
            throw OrgFaults.InvalidArgument("Required member 'EntityName' missing for field 'Targets'");
        }

        if (targets.Entities.Count == 0)
        {
            throw OrgFaults.InvalidArgument($"System.ArgumentException: The value of the parameter 'Targets' cannot be null or empty.");
        }

        var table = org.Metadata.GetExact(targets.EntityName);
        foreach (var entity in targets.Entities)
        {
            if (entity is null || !string.Equals(entity.LogicalName, table.LogicalName, StringComparison.OrdinalIgnoreCase))
            {
                throw OrgFaults.InvalidArgument(
                    $"This entity cannot be added to the specified collection. The collection can have entities with PlatformName = {table.LogicalName} while this entity has Platform Name: {entity?.LogicalName}");
            }
        }

        return (table, targets);
    }
}
