using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>
/// Associate and Disassociate over a one-to-many relationship known from the solution: sets or clears the lookup
/// on each related row, each change an Update through its own pipeline. Many-to-many relationships are not emulated.
/// </summary>
internal abstract class RelateHandler : PipelineMessageHandler
{
    private bool Associates => Name == "Associate";

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var target = RequestParameters.Required<EntityReference>(request, "Target");
        RequestParameters.Required<Relationship>(request, "Relationship");
        RequestParameters.Required<EntityReferenceCollection>(request, "RelatedEntities");
        var table = org.Metadata.GetExact(target.LogicalName);
        _ = org.Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
        return new Invocation { Message = Name, Table = table, Input = request.Parameters, PrimaryId = target.Id }.Alone();
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var table = operation[0].Table;
        var target = (EntityReference)request.Parameters["Target"];
        var relationship = (Relationship)request.Parameters["Relationship"];
        var related = (EntityReferenceCollection)request.Parameters["RelatedEntities"];
        var definition = org.Metadata.FindRelationship(relationship.SchemaName)
            ?? throw OrgFaults.InvalidArgument($"The relationship '{relationship.SchemaName}' is not defined in this org (only one-to-many relationships loaded from a solution or registered with AddRelationship are supported).");
        foreach (var other in related)
        {
            // One side holds the lookup (referencing), the other is its target (referenced).
            EntityReference holder;
            EntityReference referenced;
            if (string.Equals(table.LogicalName, definition.ReferencedTable, StringComparison.OrdinalIgnoreCase)
                && string.Equals(other.LogicalName, definition.ReferencingTable, StringComparison.OrdinalIgnoreCase))
            {
                holder = other;
                referenced = target;
            }
            else if (string.Equals(table.LogicalName, definition.ReferencingTable, StringComparison.OrdinalIgnoreCase)
                && string.Equals(other.LogicalName, definition.ReferencedTable, StringComparison.OrdinalIgnoreCase))
            {
                holder = target;
                referenced = other;
            }
            else
            {
                throw OrgFaults.InvalidArgument(
                    $"The relationship '{definition.SchemaName}' links {definition.ReferencedTable} and {definition.ReferencingTable}; it cannot relate {table.LogicalName} and {other.LogicalName}.");
            }

            var change = new Entity(holder.LogicalName, holder.Id)
            {
                [definition.ReferencingColumn] = Associates ? new EntityReference(referenced.LogicalName, referenced.Id) : null,
            };
            var inner = new OrganizationRequest("Update");
            inner.Parameters["Target"] = change;
            org.RunPipeline(inner, caller);
        }

        return Associates ? new AssociateResponse { ResponseName = Name } : new DisassociateResponse { ResponseName = Name };
    }
}
