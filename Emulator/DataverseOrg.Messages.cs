using System.ServiceModel;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Query;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator;

/// <summary>Message handlers: request validation (before stage 10) and the main operation (stage 30).</summary>
public sealed partial class DataverseOrg
{
    /// <summary>The platform's ExecuteMultiple / ExecuteTransaction batch limit.</summary>
    public const int MaxBatchSize = 1000;

    private List<Invocation> DescribeOperation(OrganizationRequest request, CallerContext caller)
    {
        var name = request.RequestName;
        var input = request.Parameters;
        switch (name)
        {
            case "Create":
            {
                var target = Required<Entity>(request, "Target");
                var table = Metadata.GetExact(target.LogicalName);
                var list = new List<Invocation> { new() { Message = "Create", Table = table, Input = input, PrimaryId = target.Id } };
                AddCompanion(list, "CreateMultiple", table, target, caller);
                return list;
            }

            case "Update":
            {
                var target = Required<Entity>(request, "Target");
                var table = Metadata.GetExact(target.LogicalName);
                var id = IdOf(table, target, required: true);
                var pre = Store.Find(table.LogicalName, id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, id);
                var list = new List<Invocation> { new() { Message = "Update", Table = table, Input = input, PrimaryId = id, PreRow = pre } };
                AddCompanion(list, "UpdateMultiple", table, target, caller, pre);
                return list;
            }

            case "Delete":
            case "Retrieve":
            {
                var target = Required<EntityReference>(request, "Target");
                var table = Metadata.GetExact(target.LogicalName);
                if (name == "Retrieve" && !input.Contains("ColumnSet"))
                {
                    throw OrgFaults.RequiredParameter(name, "ColumnSet");
                }

                var pre = Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
                return new List<Invocation> { new() { Message = name, Table = table, Input = input, PrimaryId = target.Id, PreRow = name == "Delete" ? pre : null } };
            }

            case "RetrieveMultiple":
            {
                var query = Required<QueryBase>(request, "Query");
                var tableName = query switch
                {
                    QueryExpression q => q.EntityName,
                    QueryByAttribute q => q.EntityName,
                    FetchExpression f => FetchXmlParser.EntityNameOf(f.Query),
                    _ => throw OrgFaults.InvalidArgument($"Unsupported query type '{query.GetType().Name}'."),
                };
                return new List<Invocation> { new() { Message = name, Table = Metadata.GetExact(tableName), Input = input } };
            }

            case "Upsert":
            {
                var target = Required<Entity>(request, "Target");
                var table = Metadata.GetExact(target.LogicalName);
                return new List<Invocation> { new() { Message = name, Table = table, Input = input, PrimaryId = IdOf(table, target, required: false) } };
            }

            case "Assign":
            {
                var target = Required<EntityReference>(request, "Target");
                var assignee = Required<EntityReference>(request, "Assignee");
                var table = Metadata.GetExact(target.LogicalName);
                if (!table.IsUserOwned)
                {
                    throw OrgFaults.InvalidArgument($"The {table.LogicalName} table is not user- or team-owned and cannot be assigned.");
                }

                if (assignee.LogicalName is not ("systemuser" or "team"))
                {
                    throw OrgFaults.InvalidArgument($"The assignee must be a systemuser or a team, not '{assignee.LogicalName}'.");
                }

                var pre = Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
                return new List<Invocation> { new() { Message = name, Table = table, Input = input, PrimaryId = target.Id, PreRow = pre } };
            }

            case "SetState":
            {
                var target = Required<EntityReference>(request, "EntityMoniker");
                Required<OptionSetValue>(request, "State");
                Required<OptionSetValue>(request, "Status");
                var table = Metadata.GetExact(target.LogicalName);
                if (!table.HasState)
                {
                    throw OrgFaults.InvalidArgument($"The {table.LogicalName} table has no statecode.");
                }

                var pre = Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
                return new List<Invocation> { new() { Message = name, Table = table, Input = input, PrimaryId = target.Id, PreRow = pre } };
            }

            case "CreateMultiple":
            case "UpdateMultiple":
            {
                var (table, targets) = BulkTargets(request);
                var isUpdate = name == "UpdateMultiple";
                var preRows = new Row?[targets.Entities.Count];
                var list = new List<Invocation>();
                var items = new List<Invocation>();
                for (var i = 0; i < targets.Entities.Count; i++)
                {
                    var item = targets.Entities[i];
                    Row? pre = null;
                    var id = item.Id;
                    if (isUpdate)
                    {
                        id = IdOf(table, item, required: true);
                        pre = Store.Find(table.LogicalName, id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, id);
                    }

                    preRows[i] = pre;
                    var itemInput = new ParameterCollection { ["Target"] = item };
                    if (isUpdate && input.TryGetValue("ConcurrencyBehavior", out var concurrency) && concurrency is not null)
                    {
                        itemInput["ConcurrencyBehavior"] = concurrency;
                    }

                    items.Add(new Invocation { Message = isUpdate ? "Update" : "Create", Table = table, Input = itemInput, PrimaryId = id, PreRow = pre });
                }

                list.Add(new Invocation { Message = name, Table = table, Input = input, PreRows = isUpdate ? preRows : null });
                list.AddRange(items);
                return list;
            }

            case "Associate":
            case "Disassociate":
            {
                var target = Required<EntityReference>(request, "Target");
                Required<Relationship>(request, "Relationship");
                Required<EntityReferenceCollection>(request, "RelatedEntities");
                var table = Metadata.GetExact(target.LogicalName);
                _ = Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
                return new List<Invocation> { new() { Message = name, Table = table, Input = input, PrimaryId = target.Id } };
            }

            default:
                throw OrgFaults.Create(OrgErrorCodes.UnrecognizedRequest, $"Unrecognized request '{name}'.");
        }
    }

    /// <summary>
    /// Merged pipeline: a single Create/Update also fires the CreateMultiple/UpdateMultiple steps of the table,
    /// with a one-item Targets (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation).
    /// </summary>
    private void AddCompanion(List<Invocation> list, string message, TableMetadata table, Entity target, CallerContext caller, Row? pre = null)
    {
        if (caller.BypassPlugins || !_steps.Any(s => s.Enabled && s.Message.Equals(message, StringComparison.OrdinalIgnoreCase) && (s.Table is null || s.Table == table.LogicalName)))
        {
            return;
        }

        var targets = new EntityCollection(new List<Entity> { target }) { EntityName = table.LogicalName };
        list.Add(new Invocation
        {
            Message = message,
            Table = table,
            Input = new ParameterCollection { ["Targets"] = targets },
            PreRows = pre is null ? null : new[] { pre },
        });
    }

    private (TableMetadata Table, EntityCollection Targets) BulkTargets(OrganizationRequest request)
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

        var table = Metadata.GetExact(targets.EntityName);
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

    private static T Required<T>(OrganizationRequest request, string parameter)
        where T : class
    {
        if (!request.Parameters.TryGetValue(parameter, out var value) || value is null)
        {
            throw OrgFaults.RequiredParameter(request.RequestName, parameter);
        }

        if ((value is Entity { KeyAttributes.Count: > 0 } || value is EntityReference { KeyAttributes.Count: > 0 })
            && !(value is Entity { Id: var entityId } && entityId != Guid.Empty)
            && !(value is EntityReference { Id: var referenceId } && referenceId != Guid.Empty))
        {
            throw OrgFaults.Create(OrgErrorCodes.InvalidArgument,
                $"The '{parameter}' of request '{request.RequestName}' identifies its row by alternate key; the PartnerGuard emulator supports ids only.");
        }

        return value as T ?? throw OrgFaults.InvalidArgument(
            $"The parameter '{parameter}' of request '{request.RequestName}' must be a {typeof(T).Name}, not {value.GetType().Name}.");
    }

    private static ConcurrencyBehavior ConcurrencyOf(OrganizationRequest request)
        => request.Parameters.TryGetValue("ConcurrencyBehavior", out var value) && value is ConcurrencyBehavior behavior ? behavior : ConcurrencyBehavior.Default;

    private OrganizationResponse Core(OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var main = operation[0];
        switch (request.RequestName)
        {
            case "Create":
            {
                var target = (Entity)request.Parameters["Target"];
                var id = InsertRow(target, caller);
                target.Id = id;
                SetCreated(operation, id);
                var response = new CreateResponse { ResponseName = "Create" };
                response.Results["id"] = id;
                main.Output["id"] = id;
                return response;
            }

            case "Update":
            {
                var (_, after) = UpdateRow((Entity)request.Parameters["Target"], caller, ConcurrencyOf(request));
                main.PostRow = after;
                foreach (var companion in operation.Skip(1))
                {
                    companion.PostRows = new Row?[] { after };
                }

                return new UpdateResponse { ResponseName = "Update" };
            }

            case "Delete":
                DeleteRow((EntityReference)request.Parameters["Target"], ConcurrencyOf(request));
                return new DeleteResponse { ResponseName = "Delete" };

            case "Retrieve":
            {
                var target = (EntityReference)request.Parameters["Target"];
                var columns = request.Parameters["ColumnSet"] as ColumnSet
                    ?? throw OrgFaults.RequiredParameter("Retrieve", "ColumnSet");
                var row = Store.Find(main.Table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(main.Table.LogicalName, target.Id);
                var entity = ToEntity(main.Table, row, columns);
                var response = new RetrieveResponse { ResponseName = "Retrieve" };
                response.Results["Entity"] = entity;
                main.Output["BusinessEntity"] = entity;
                return response;
            }

            case "RetrieveMultiple":
            {
                var result = new QueryEngine(this).Execute((QueryBase)request.Parameters["Query"]);
                var response = new RetrieveMultipleResponse { ResponseName = "RetrieveMultiple" };
                response.Results["EntityCollection"] = result;
                main.Output["BusinessEntityCollection"] = result;
                return response;
            }

            case "Upsert":
            {
                var target = (Entity)request.Parameters["Target"];
                var exists = main.PrimaryId != Guid.Empty && Store.Find(main.Table.LogicalName, main.PrimaryId) is not null;
                var inner = new OrganizationRequest(exists ? "Update" : "Create");
                inner.Parameters["Target"] = target;
                RunPipeline(inner, caller);
                var id = exists ? main.PrimaryId : target.Id;
                main.PrimaryId = id;
                var response = new UpsertResponse { ResponseName = "Upsert" };
                response.Results["RecordCreated"] = !exists;
                response.Results["Target"] = new EntityReference(main.Table.LogicalName, id);
                main.Output["RecordCreated"] = !exists;
                main.Output["Target"] = new EntityReference(main.Table.LogicalName, id);
                return response;
            }

            case "Assign":
            {
                var target = (EntityReference)request.Parameters["Target"];
                var assignee = (EntityReference)request.Parameters["Assignee"];
                var change = new Entity(main.Table.LogicalName, target.Id) { ["ownerid"] = new EntityReference(assignee.LogicalName, assignee.Id) };
                main.PostRow = UpdateRow(change, caller, ConcurrencyBehavior.Default).After;
                return new AssignResponse { ResponseName = "Assign" };
            }

            case "SetState":
            {
                var target = (EntityReference)request.Parameters["EntityMoniker"];
                var state = (OptionSetValue)request.Parameters["State"];
                var status = (OptionSetValue)request.Parameters["Status"];
                var change = new Entity(main.Table.LogicalName, target.Id) { ["statecode"] = new OptionSetValue(state.Value) };
                if (status.Value != -1)
                {
                    change["statuscode"] = new OptionSetValue(status.Value);
                }

                main.PostRow = UpdateRow(change, caller, ConcurrencyBehavior.Default).After;
                return new SetStateResponse { ResponseName = "SetState" };
            }

            case "CreateMultiple":
            {
                var targets = (EntityCollection)request.Parameters["Targets"];
                var ids = new Guid[targets.Entities.Count];
                var postRows = new Row?[ids.Length];
                for (var i = 0; i < ids.Length; i++)
                {
                    ids[i] = InsertRow(targets.Entities[i], caller);
                    targets.Entities[i].Id = ids[i];
                    postRows[i] = Store.Find(main.Table.LogicalName, ids[i]);
                    var item = operation[i + 1];
                    item.PrimaryId = ids[i];
                    item.PostRow = postRows[i];
                    item.Output["id"] = ids[i];
                }

                main.PostRows = postRows;
                var response = new CreateMultipleResponse { ResponseName = "CreateMultiple" };
                response.Results["Ids"] = ids;
                main.Output["Ids"] = ids;
                return response;
            }

            case "UpdateMultiple":
            {
                var targets = (EntityCollection)request.Parameters["Targets"];
                var concurrency = ConcurrencyOf(request);
                var postRows = new Row?[targets.Entities.Count];
                for (var i = 0; i < postRows.Length; i++)
                {
                    postRows[i] = UpdateRow(targets.Entities[i], caller, concurrency).After;
                    operation[i + 1].PostRow = postRows[i];
                }

                main.PostRows = postRows;
                return new UpdateMultipleResponse { ResponseName = "UpdateMultiple" };
            }

            case "Associate":
            case "Disassociate":
                return Relate(request, main.Table, caller);

            default:
                throw OrgFaults.Create(OrgErrorCodes.UnrecognizedRequest, $"Unrecognized request '{request.RequestName}'.");
        }
    }

    private void SetCreated(List<Invocation> operation, Guid id)
    {
        var row = Store.Find(operation[0].Table.LogicalName, id);
        operation[0].PrimaryId = id;
        operation[0].PostRow = row;
        foreach (var companion in operation.Skip(1))
        {
            companion.PostRows = new[] { row };
            companion.Output["Ids"] = new[] { id };
        }
    }

    /// <summary>
    /// Associate/Disassociate over a one-to-many relationship known from the solution: sets or clears the
    /// lookup on each related row. Many-to-many relationships are not emulated.
    /// </summary>
    private OrganizationResponse Relate(OrganizationRequest request, TableMetadata table, CallerContext caller)
    {
        var target = (EntityReference)request.Parameters["Target"];
        var relationship = (Relationship)request.Parameters["Relationship"];
        var related = (EntityReferenceCollection)request.Parameters["RelatedEntities"];
        var associate = request.RequestName == "Associate";
        var definition = Metadata.FindRelationship(relationship.SchemaName)
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
                [definition.ReferencingColumn] = associate ? new EntityReference(referenced.LogicalName, referenced.Id) : null,
            };
            var inner = new OrganizationRequest("Update");
            inner.Parameters["Target"] = change;
            RunPipeline(inner, caller);
        }

        return associate ? new AssociateResponse { ResponseName = "Associate" } : new DisassociateResponse { ResponseName = "Disassociate" };
    }

    private OrganizationResponse WhoAmI(CallerContext caller)
    {
        var response = new WhoAmIResponse { ResponseName = "WhoAmI" };
        response.Results["UserId"] = caller.UserId;
        response.Results["BusinessUnitId"] = BusinessUnitOf(caller.UserId);
        response.Results["OrganizationId"] = OrganizationId;
        return response;
    }

    private OrganizationResponse ExecuteMultiple(OrganizationRequest request, CallerContext caller)
    {
        var requests = Required<OrganizationRequestCollection>(request, "Requests");
        var settings = Required<ExecuteMultipleSettings>(request, "Settings");
        CheckBatch(requests, caller, "ExecuteMultiple");

        var responses = new ExecuteMultipleResponseItemCollection();
        var faulted = false;
        var itemCaller = caller with { InsideBatch = true };
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                var item = requests[i] ?? throw OrgFaults.InvalidArgument($"Request {i} of the ExecuteMultiple batch is null.");
                if (item.RequestName is "ExecuteMultiple" or "ExecuteTransaction")
                {
                    throw NestedBatch(item.RequestName);
                }

                // Each request runs in its own transaction (execute-multiple-requests.md).
                var response = Dispatch(RequestCloner.Clone(item), itemCaller);
                if (settings.ReturnResponses)
                {
                    responses.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Response = response });
                }
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                faulted = true;
                responses.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Fault = fault.Detail });
                if (!settings.ContinueOnError)
                {
                    break;
                }
            }
        }

        var result = new ExecuteMultipleResponse { ResponseName = "ExecuteMultiple" };
        result.Results["Responses"] = responses;
        result.Results["IsFaulted"] = faulted;
        return result;
    }

    private OrganizationResponse ExecuteTransaction(OrganizationRequest request, CallerContext caller)
    {
        var requests = Required<OrganizationRequestCollection>(request, "Requests");
        CheckBatch(requests, caller, "ExecuteTransaction");
        var returnResponses = request.Parameters.TryGetValue("ReturnResponses", out var flag) && flag is true;
        var responses = new List<OrganizationResponse>();
        var itemCaller = caller with { InsideBatch = true };
        var savepoint = Store.Savepoint();
        var asyncMark = _pendingAsync.Count;
        var index = 0;
        try
        {
            for (; index < requests.Count; index++)
            {
                var item = requests[index] ?? throw OrgFaults.InvalidArgument($"Request {index} of the ExecuteTransaction batch is null.");
                if (item.RequestName is "ExecuteMultiple" or "ExecuteTransaction")
                {
                    throw NestedBatch(item.RequestName);
                }

                var response = Dispatch(RequestCloner.Clone(item), itemCaller);
                if (returnResponses)
                {
                    responses.Add(response);
                }
            }

            CommitLevel();
        }
        catch (FaultException<OrganizationServiceFault> fault)
        {
            Store.RollbackTo(savepoint);
            _pendingAsync.RemoveRange(asyncMark, _pendingAsync.Count - asyncMark);
            // ExecuteTransactionFault.FaultedRequestIndex (zero-based) is carried in ErrorDetails["FaultedRequestIndex"].
            var detail = new OrganizationServiceFault
            {
                ErrorCode = fault.Detail.ErrorCode,
                Message = fault.Detail.Message,
                Timestamp = fault.Detail.Timestamp,
                InnerFault = fault.Detail,
            };
            detail.ErrorDetails["FaultedRequestIndex"] = index;
            throw OrgFaults.From(detail);
        }
        catch
        {
            Store.RollbackTo(savepoint);
            _pendingAsync.RemoveRange(asyncMark, _pendingAsync.Count - asyncMark);
            throw;
        }

        var result = new ExecuteTransactionResponse { ResponseName = "ExecuteTransaction" };
        if (returnResponses && ResponseCollection(responses) is { } collection)
        {
            result.Results["Responses"] = collection;
        }

        return result;
    }

    /// <summary>
    /// ExecuteTransactionResponse.Responses is an OrganizationResponseCollection in the official SDK; the offline
    /// stand-in leaves that type out, so the collection is built only when the SDK in use declares it.
    /// </summary>
    private static object? ResponseCollection(List<OrganizationResponse> responses)
    {
        var type = typeof(OrganizationResponse).Assembly.GetType("Microsoft.Xrm.Sdk.OrganizationResponseCollection");
        if (type is null || Activator.CreateInstance(type) is not System.Collections.IList list)
        {
            return null;
        }

        foreach (var response in responses)
        {
            list.Add(response);
        }

        return list;
    }

    private static void CheckBatch(OrganizationRequestCollection requests, CallerContext caller, string name)
    {
        if (caller.InsideBatch)
        {
            throw NestedBatch(name);
        }

        if (requests.Count > MaxBatchSize)
        {
            throw OrgFaults.Create(OrgErrorCodes.ExceededMaxBatchSize,
                $"The number of requests in the {name} batch ({requests.Count}) exceeds the maximum batch size of {MaxBatchSize}.",
                new Dictionary<string, object> { ["MaxBatchSize"] = MaxBatchSize });
        }
    }

    private static FaultException<OrganizationServiceFault> NestedBatch(string name)
        => OrgFaults.Create(OrgErrorCodes.NestedBatchNotAllowed,
            $"{name} cannot be run inside an ExecuteMultiple or ExecuteTransaction request: batch requests cannot be nested.");
}
