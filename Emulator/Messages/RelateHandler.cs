using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>
/// Associate and Disassociate over a one-to-many relationship known from the solution: sets or clears the lookup
/// on each related row, each change an Update through its own pipeline. Over a built-in many-to-many relationship
/// (role assignments: systemuserroles_association, teamroles_association) it adds or removes intersect rows.
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
        if (org.Metadata.FindManyToMany(relationship.SchemaName) is { } manyToMany)
        {
            RelateManyToMany(org, manyToMany, operation[0], related, caller);
            return Associates ? new AssociateResponse { ResponseName = Name } : new DisassociateResponse { ResponseName = Name };
        }

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

    /// <summary>
    /// Adds or removes one intersect row per related row. Privileges, as the Dynamics 365 SDK's "Associate message
    /// privileges" lists them for a many-to-many relationship: Write and Append on the target, AppendTo on each related row.
    /// </summary>
    private void RelateManyToMany(DataverseOrg org, ManyToManyRelationshipMetadata relationship, Invocation main, EntityReferenceCollection related, CallerContext caller)
    {
        var table = main.Table;
        var targetRow = org.Store.Find(table.LogicalName, main.PrimaryId)!;
        org.Security.Demand(caller, Security.PrivilegeAccess.Write, table, targetRow.Id, targetRow.Values);
        org.Security.Demand(caller, Security.PrivilegeAccess.Append, table, targetRow.Id, targetRow.Values);
        var intersect = org.Metadata.Get(relationship.IntersectTable);
        foreach (var other in related)
        {
            (string Column, Guid Id) first, second;
            if (string.Equals(table.LogicalName, relationship.Table1, StringComparison.Ordinal) && string.Equals(other.LogicalName, relationship.Table2, StringComparison.Ordinal))
            {
                (first, second) = ((relationship.Column1, main.PrimaryId), (relationship.Column2, other.Id));
            }
            else if (string.Equals(table.LogicalName, relationship.Table2, StringComparison.Ordinal) && string.Equals(other.LogicalName, relationship.Table1, StringComparison.Ordinal))
            {
                (first, second) = ((relationship.Column1, other.Id), (relationship.Column2, main.PrimaryId));
            }
            else
            {
                throw OrgFaults.InvalidArgument(
                    $"The relationship '{relationship.SchemaName}' links {relationship.Table1} and {relationship.Table2}; it cannot relate {table.LogicalName} and {other.LogicalName}.");
            }

            var otherTable = org.Metadata.GetExact(other.LogicalName);
            var otherRow = org.Store.Find(otherTable.LogicalName, other.Id) ?? throw OrgFaults.DoesNotExist(otherTable.LogicalName, other.Id);
            org.Security.Demand(caller, Security.PrivilegeAccess.AppendTo, otherTable, otherRow.Id, otherRow.Values);
            var existing = org.Store.Rows(intersect.LogicalName)
                .FirstOrDefault(r => Equals(r.Get(first.Column), first.Id) && Equals(r.Get(second.Column), second.Id));
            if (Associates)
            {
                if (existing is not null)
                {
                    throw OrgFaults.Create(OrgErrorCodes.DuplicateRecord, "Cannot insert duplicate key.");
                }

                // The intersect row is the platform's bookkeeping: written as SYSTEM once the caller's privileges passed.
                org.InsertRow(new Entity(intersect.LogicalName) { [first.Column] = first.Id, [second.Column] = second.Id }, caller with { IsSystem = true });
            }
            else if (existing is not null)
            {
                org.Store.Remove(intersect.LogicalName, existing.Id);
            }
        }
    }
}
