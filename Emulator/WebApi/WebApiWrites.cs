using System.Globalization;
using System.ServiceModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Security;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// POST/PATCH/DELETE and the bound bulk actions, translated into <see cref="WritePlan"/>s so that a change set can
/// run them in one transaction.
/// </summary>
internal sealed class WebApiWrites
{
    private readonly DataverseOrg _org;

    public WebApiWrites(DataverseOrg org)
    {
        _org = org;
    }


    /// <summary>Translates a POST/PATCH/DELETE into an organization request. <paramref name="contentIds"/>: Content-ID → entity path, inside a change set.</summary>
    public WritePlan PlanWrite(CallContext context, HttpOperation operation, Dictionary<string, string>? contentIds)
    {
        var path = operation.Path;
        if (path.StartsWith('$') && contentIds is not null)
        {
            // A change-set operation may address a record created earlier in the set: "$1" or "$1/...".
            var end = path.IndexOfAny(new[] { '/', '?' });
            var id = end < 0 ? path[1..] : path[1..end];
            if (!contentIds.TryGetValue(id, out var resolved))
            {
                throw WebApiException.BadRequest($"The Content-ID reference '${id}' does not name an earlier operation of this change set.");
            }

            path = resolved + (end < 0 ? string.Empty : path[end..]);
        }

        var bypass = Bypass(context, operation);
        var prefer = Prefer.Parse(operation.HeaderValues("Prefer"));
        var (segment, key, rest) = WebApiRoute.Split(path);
        if (operation.Method == "POST" && key is null && rest is null && _org.FindCustomApi(segment) is { } api)
        {
            return CustomApiCalls.Action(context, operation, api);
        }

        var table = WebApiRoute.TableOf(context, segment);
        var reader = new EntityJsonReader(context.Model, contentIds);
        switch (operation.Method)
        {
            case "POST" when key is null && rest is null:
                return PlanCreate(context, operation, table, reader, prefer, bypass);
            case "POST" when key is null && rest is "Microsoft.Dynamics.CRM.UpdateMultiple" or "Microsoft.Dynamics.CRM.CreateMultiple":
                return PlanBulk(context, operation, table, reader, rest, bypass);
            case "PATCH" when key is not null && rest is null:
                return PlanPatch(context, operation, table, WebApiRoute.KeyOf(table, key), reader, prefer, bypass);
            case "DELETE" when key is not null && rest is null:
                return PlanDelete(context, operation, table, WebApiRoute.KeyOf(table, key), bypass);
            case "POST" or "DELETE" when key is not null && RelationshipRefs.Addresses(rest):
                return RelationshipRefs.Plan(_org, context, operation, table, WebApiRoute.KeyOf(table, key), rest!, bypass);
            case "POST" or "PATCH" or "DELETE" when rest is not null && !rest.StartsWith("Microsoft.Dynamics.CRM.", StringComparison.Ordinal):
                throw WebApiException.NotFoundSegment(rest);
            case "POST" when rest is not null:
                throw WebApiException.BadRequest($"The action '{rest}' is not supported by the PartnerGuard emulator (supported: Microsoft.Dynamics.CRM.CreateMultiple, Microsoft.Dynamics.CRM.UpdateMultiple).");
            default:
                throw new WebApiException(405, WebApiException.ODataCode, $"The HTTP method '{operation.Method}' is not allowed on '{path}'.");
        }
    }

    private bool Bypass(CallContext context, HttpOperation operation)
    {
        var custom = operation.Header("MSCRM.BypassCustomPluginExecution");
        var logic = operation.Header("MSCRM.BypassBusinessLogicExecution");
        var wantsLegacy = custom is not null && custom.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
        var wantsLogic = logic is not null && logic.Split(',', StringSplitOptions.TrimEntries).Any(v => v is "CustomSync" or "CustomAsync");
        if (!wantsLegacy && !wantsLogic)
        {
            return false;
        }

        if (context.ListedForBypass)
        {
            return true;
        }

        // "Bypass custom business logic": MSCRM.BypassCustomPluginExecution needs prvBypassCustomPlugins,
        // MSCRM.BypassBusinessLogicExecution needs prvBypassCustomBusinessLogic (System Administrator holds both).
        foreach (var privilege in new[] { wantsLegacy ? Privileges.BypassCustomPlugins : null, wantsLogic ? Privileges.BypassCustomBusinessLogic : null })
        {
            if (privilege is not null && !_org.HoldsPrivilege(context.AuthenticatedUserId, privilege))
            {
                throw WebApiException.FromFault(_org.PrivilegeFault(context.AuthenticatedUserId, privilege));
            }
        }

        return true;
    }

    private static JsonElement ParseBody(WebApiTable table, HttpOperation operation)
    {
        if (operation.Body.Length == 0)
        {
            throw WebApiException.Payload(table.EntitySetName, "The request body is empty; send a JSON object.");
        }

        try
        {
            using var document = JsonDocument.Parse(operation.Body);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw WebApiException.Payload(table.EntitySetName, $"The request body is not valid JSON: {ex.Message}");
        }
    }

    private WritePlan PlanCreate(CallContext context, HttpOperation operation, WebApiTable table, EntityJsonReader reader, Prefer prefer, bool bypass)
    {
        var entity = reader.Read(table, ParseBody(table, operation));
        if (entity.Id == Guid.Empty)
        {
            // Ids are assigned here so that a change set can refer to the new row by Content-ID before it runs.
            entity.Id = Guid.NewGuid();
        }

        var path = $"{table.EntitySetName}({entity.Id:D})";
        return new WritePlan
        {
            Request = new OrganizationRequest("Create") { ["Target"] = entity },
            EntityPath = path,
            Bypass = bypass,
            Respond = response =>
            {
                var id = (Guid)response.Results["id"];
                var entityId = $"{context.Root}{table.EntitySetName}({id:D})";
                if (prefer.ReturnRepresentation)
                {
                    return Representation(context, operation, table, id, prefer, 201).With("OData-EntityId", entityId).With("Preference-Applied", "return=representation");
                }

                return new WebApiResponse(204).With("OData-EntityId", entityId);
            },
        };
    }

    private WritePlan PlanPatch(CallContext context, HttpOperation operation, WebApiTable table, Guid id, EntityJsonReader reader, Prefer prefer, bool bypass)
    {
        var entity = reader.Read(table, ParseBody(table, operation));
        if (entity.Id != Guid.Empty && entity.Id != id)
        {
            throw WebApiException.Payload(table.EntitySetName, $"The body's {table.Table.PrimaryIdColumn} ({entity.Id:D}) differs from the key in the URL ({id:D}).");
        }

        entity.Id = id;
        entity.Attributes.Remove(table.Table.PrimaryIdColumn);
        var ifMatch = operation.Header("If-Match")?.Trim();
        var ifNoneMatch = operation.Header("If-None-Match")?.Trim();
        OrganizationRequest request;
        if (ifMatch == "*")
        {
            // "Prevent create in upsert": If-Match: * updates only; a missing row is 404.
            request = new OrganizationRequest("Update") { ["Target"] = entity };
        }
        else if (ifMatch is not null)
        {
            // "Apply optimistic concurrency": the row version must match, else 412.
            entity.RowVersion = ParseEtag(ifMatch);
            request = new OrganizationRequest("Update") { ["Target"] = entity, ["ConcurrencyBehavior"] = ConcurrencyBehavior.IfRowVersionMatches };
        }
        else if (ifNoneMatch == "*")
        {
            // "Prevent update in upsert": If-None-Match: * creates only; an existing row is 412.
            request = new OrganizationRequest("Create") { ["Target"] = entity };
        }
        else
        {
            request = new OrganizationRequest("Upsert") { ["Target"] = entity };
        }

        var path = $"{table.EntitySetName}({id:D})";
        return new WritePlan
        {
            Request = request,
            EntityPath = path,
            Bypass = bypass,
            Respond = _ =>
            {
                var entityId = context.Root + path;
                if (prefer.ReturnRepresentation)
                {
                    return Representation(context, operation, table, id, prefer, 200).With("OData-EntityId", entityId).With("Preference-Applied", "return=representation");
                }

                return new WebApiResponse(204).With("OData-EntityId", entityId);
            },
        };
    }

    private static string ParseEtag(string value)
    {
        var text = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        text = text.Trim('"');
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw WebApiException.BadRequest($"The If-Match value '{value}' is not an ETag returned by this service (expected W/\"<version>\" or *).");
        }

        return text;
    }

    private WritePlan PlanDelete(CallContext context, HttpOperation operation, WebApiTable table, Guid id, bool bypass)
    {
        var target = new EntityReference(table.Table.LogicalName, id);
        var request = new OrganizationRequest("Delete") { ["Target"] = target };
        if (operation.Header("If-Match")?.Trim() is { } ifMatch && ifMatch != "*")
        {
            target.RowVersion = ParseEtag(ifMatch);
            request["ConcurrencyBehavior"] = ConcurrencyBehavior.IfRowVersionMatches;
        }

        return new WritePlan
        {
            Request = request,
            EntityPath = $"{table.EntitySetName}({id:D})",
            Bypass = bypass,
            Respond = _ => new WebApiResponse(204),
        };
    }

    private WritePlan PlanBulk(CallContext context, HttpOperation operation, WebApiTable table, EntityJsonReader reader, string action, bool bypass)
    {
        // "Use bulk operation messages": POST {set}/Microsoft.Dynamics.CRM.{Create|Update}Multiple with {"Targets":[…]},
        // each target carrying "@odata.type": "Microsoft.Dynamics.CRM.{table}".
        var body = ParseBody(table, operation);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("Targets", out var targets) || targets.ValueKind != JsonValueKind.Array)
        {
            throw WebApiException.Payload(table.EntitySetName, "The body must be {\"Targets\": [ … ]}.");
        }

        var isUpdate = action.EndsWith("UpdateMultiple", StringComparison.Ordinal);
        var collection = new EntityCollection { EntityName = table.Table.LogicalName };
        var index = 0;
        foreach (var item in targets.EnumerateArray())
        {
            Entity entity;
            try
            {
                entity = reader.Read(table, item, requireType: true);
            }
            catch (WebApiException ex)
            {
                throw new WebApiException(ex.Status, ex.Code, $"Targets[{index}]: {ex.Message}");
            }

            if (isUpdate && entity.Id == Guid.Empty)
            {
                throw WebApiException.Payload(table.EntitySetName, $"Targets[{index}] has no {table.Table.PrimaryIdColumn}; UpdateMultiple needs the primary key of every target.");
            }

            collection.Entities.Add(entity);
            index++;
        }

        var name = isUpdate ? "UpdateMultiple" : "CreateMultiple";
        return new WritePlan
        {
            Request = new OrganizationRequest(name) { ["Targets"] = collection },
            Bypass = bypass,
            Operations = Math.Max(1, collection.Entities.Count),
            Respond = response =>
            {
                if (isUpdate)
                {
                    return new WebApiResponse(204);
                }

                var ids = (Guid[])response.Results["Ids"];
                return JsonWriting.Body(200, w =>
                {
                    w.WriteString("@odata.context", context.Root + "$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse");
                    w.WriteStartArray("Ids");
                    foreach (var id in ids)
                    {
                        w.WriteStringValue(id.ToString("D"));
                    }

                    w.WriteEndArray();
                });
            },
        };
    }

    private WebApiResponse Representation(CallContext context, HttpOperation operation, WebApiTable table, Guid id, Prefer prefer, int status)
    {
        var options = operation.QueryOptions();
        var parsed = ODataQueryTranslator.Parse(context.Model, table, options.Where(o => o.Key == "$select").ToDictionary(o => o.Key, o => o.Value));
        var request = new OrganizationRequest("Retrieve") { ["Target"] = new EntityReference(table.Table.LogicalName, id), ["ColumnSet"] = parsed.Columns };
        var entity = (Entity)WebApiDispatcher.Execute(_org, context, request, bypass: false).Results["Entity"];
        var writer = new EntityJsonWriter(_org, prefer);
        return JsonWriting.Body(status, w =>
        {
            w.WriteString("@odata.context", $"{context.Root}$metadata#{table.EntitySetName}{WebApiReads.SelectSuffix(options)}/$entity");
            writer.WriteProperties(w, table, entity, parsed.SelectedProperties, omitNulls: false);
        }).With("ETag", EntityJsonWriter.Etag(entity.RowVersion ?? "0"));
    }
}
