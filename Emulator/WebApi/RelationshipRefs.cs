using System.Text.Json;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// "Associate and disassociate table rows using the Web API" over the many-to-many relationships the org knows (the
/// role assignments): <c>POST {set}({id})/{relationship}/$ref</c> with <c>{"@odata.id": "…/{set}({id})"}</c> is an
/// Associate; <c>DELETE {set}({id})/{relationship}({id})/$ref</c> or <c>DELETE {set}({id})/{relationship}/$ref?$id=…</c>
/// a Disassociate. Both answer 204 and run through the org as the caller, so its security checks apply.
/// </summary>
internal static class RelationshipRefs
{
    private const string RefSuffix = "/$ref";

    public static bool Addresses(string? rest) => rest is not null && rest.EndsWith(RefSuffix, StringComparison.Ordinal);

    public static WritePlan Plan(DataverseOrg org, CallContext context, HttpOperation operation, WebApiTable table, Guid id, string rest, bool bypass)
    {
        var navigation = rest[..^RefSuffix.Length];
        string? relatedKey = null;
        var open = navigation.IndexOf('(');
        if (open > 0 && navigation.EndsWith(')'))
        {
            relatedKey = navigation[(open + 1)..^1];
            navigation = navigation[..open];
        }

        var relationship = org.Metadata.FindManyToMany(navigation);
        if (relationship is null || (table.Table.LogicalName != relationship.Table1 && table.Table.LogicalName != relationship.Table2))
        {
            throw WebApiException.NotFoundSegment(navigation);
        }

        var otherTable = table.Table.LogicalName == relationship.Table1 ? relationship.Table2 : relationship.Table1;
        EntityReference related = (operation.Method, relatedKey) switch
        {
            ("POST", null) => Reference(context, otherTable, ODataIdOfBody(table, operation)),
            ("DELETE", { } key) => new EntityReference(otherTable, WebApiRoute.KeyOf(table, key)),
            ("DELETE", null) => Reference(context, otherTable, operation.QueryOptions().TryGetValue("$id", out var reference)
                ? reference
                : throw WebApiException.BadRequest($"DELETE …/{navigation}/$ref needs the related row: …/{navigation}(id)/$ref or ?$id=<its URL>.")),
            _ => throw new WebApiException(405, WebApiException.ODataCode, $"The HTTP method '{operation.Method}' is not allowed on '{rest}'."),
        };
        var request = new OrganizationRequest(operation.Method == "POST" ? "Associate" : "Disassociate")
        {
            ["Target"] = new EntityReference(table.Table.LogicalName, id),
            ["Relationship"] = new Relationship(relationship.SchemaName),
            ["RelatedEntities"] = new EntityReferenceCollection { related },
        };
        return new WritePlan { Request = request, Bypass = bypass, Respond = _ => new WebApiResponse(204) };
    }

    private static string ODataIdOfBody(WebApiTable table, HttpOperation operation)
    {
        try
        {
            using var document = JsonDocument.Parse(operation.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("@odata.id", out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Reported below with the expected shape.
        }

        throw WebApiException.Payload(table.EntitySetName, "The body of a $ref request must be {\"@odata.id\": \"<URL of the related row>\"}.");
    }

    /// <summary>The row an @odata.id or $id URL names (absolute, or relative to the Web API root): its last segment, {set}({id}).</summary>
    private static EntityReference Reference(CallContext context, string expectedTable, string url)
    {
        var path = url.Split('?')[0].TrimEnd('/');
        var (segment, key, _) = WebApiRoute.Split(path[(path.LastIndexOf('/') + 1)..]);
        var table = WebApiRoute.TableOf(context, segment);
        if (key is null || table.Table.LogicalName != expectedTable)
        {
            throw WebApiException.BadRequest($"'{url}' does not name a {expectedTable} row ({expectedTable} set and id).");
        }

        return new EntityReference(expectedTable, WebApiRoute.KeyOf(table, key));
    }
}
