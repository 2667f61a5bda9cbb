using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PartnerGuard.Integration.Tests.Support;

/// <summary>
/// A small stateful stand-in for a Dataverse environment's Web API, enough for the console's own requests:
/// WhoAmI, EntityDefinitions (set and navigation names), the sdkmessagefilter probe, environment variables,
/// direct sales rules, account queries (paged by @odata.nextLink), UpdateMultiple and $batch PATCHes.
/// Response shapes follow the documented examples (see the client tests for the doc pages). It is a test
/// double for the console, not an emulator: the emulator lives in Emulator/.
/// Why it is still here: CliTests run the console against a remote environment (connection string, bearer challenge
/// with tenant discovery) and need answers the emulator's Web API does not give: 401/403 for every request
/// (<see cref="FailEverythingWith"/>), error text echoing a secret (<see cref="ErrorEcho"/>), a server without
/// UpdateMultiple (<see cref="SupportsUpdateMultiple"/>). Their happy paths could run on the emulator, as the
/// Embedded/ tests already do; moving them is left for after issue #11 (see the test kit's README).
/// </summary>
internal sealed partial class FakeOrg : HttpMessageHandler
{
    public const string Root = "https://contoso.crm.dynamics.com/api/data/v9.2/";

    public const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private readonly Lock _lock = new();

    public Dictionary<Guid, FakeAccount> Accounts { get; } = [];

    public bool SupportsUpdateMultiple { get; set; } = true;

    /// <summary>Accounts whose update a plug-in refuses (400, 0x80040265).</summary>
    public HashSet<Guid> Refuse { get; } = [];

    public Dictionary<Guid, int> Writes { get; } = [];

    /// <summary>Rows of pg_reassignmentrun, upserted by PATCH.</summary>
    public Dictionary<Guid, JsonObject> Runs { get; } = [];

    public List<string> Requests { get; } = [];

    /// <summary>Text placed in every error message the fake sends (to test that output never echoes it).</summary>
    public string? ErrorEcho { get; set; }

    public HttpStatusCode? FailEverythingWith { get; set; }

    public FakeAccount Add(FakeAccount account)
    {
        Accounts[account.Id] = account;
        return account;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = Uri.UnescapeDataString(request.RequestUri!.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped))["/api/data/v9.2/".Length..];
        lock (_lock)
        {
            Requests.Add($"{request.Method} {path}");
            if (FailEverythingWith is { } status)
            {
                return Json(status, Error("0x80040220", $"Refused. {ErrorEcho}"));
            }

            return Route(request, path, body);
        }
    }

    private HttpResponseMessage Route(HttpRequestMessage request, string path, string body)
    {
        if (request.Headers.Authorization is null)
        {
            // The Bearer challenge of an unauthenticated request names the tenant.
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", $"Bearer authorization_uri=https://login.microsoftonline.com/{Tenant}/oauth2/authorize, resource_id=https://contoso.crm.dynamics.com/");
            return challenge;
        }

        if (path.StartsWith("WhoAmI", StringComparison.Ordinal))
        {
            var response = Json(HttpStatusCode.OK, """{"BusinessUnitId":"a1000000-0000-0000-0000-000000000000","UserId":"b2000000-0000-0000-0000-000000000000","OrganizationId":"c3000000-0000-0000-0000-000000000000"}""");
            response.Headers.Add("x-ms-dop-hint", "4");
            return response;
        }

        if (path.Contains("/ManyToOneRelationships", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, """{"value":[{"ReferencingAttribute":"pg_assignedpartnerid","ReferencedEntity":"account","ReferencingEntityNavigationPropertyName":"pg_AssignedPartnerId"}]}""");
        }

        if (path.StartsWith("EntityDefinitions(LogicalName='", StringComparison.Ordinal))
        {
            var logical = path["EntityDefinitions(LogicalName='".Length..path.IndexOf('\'', "EntityDefinitions(LogicalName='".Length)];
            return Json(HttpStatusCode.OK, $$"""{"LogicalName":"{{logical}}","EntitySetName":"{{logical}}s"}""");
        }

        if (path.StartsWith("sdkmessagefilters", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, SupportsUpdateMultiple ? """{"value":[{"sdkmessagefilterid":"4a4bfb2e-0000-0000-0000-000000000000"}]}""" : """{"value":[]}""");
        }

        if (path.StartsWith("environmentvariable", StringComparison.Ordinal) || path.StartsWith("pg_directsalesrules", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, """{"value":[]}""");
        }

        if (request.Method == HttpMethod.Post && path.StartsWith("accounts/Microsoft.Dynamics.CRM.UpdateMultiple", StringComparison.Ordinal))
        {
            var targets = JsonNode.Parse(body)!["Targets"]!.AsArray();
            var ids = targets.Select(t => Guid.Parse((string)t!["accountid"]!)).ToList();
            if (ids.FirstOrDefault(Refuse.Contains) is var refused && refused != Guid.Empty)
            {
                return Json(HttpStatusCode.BadRequest, Error("0x80040265", $"A plug-in refused account {refused:D}. {ErrorEcho}"));
            }

            foreach (var target in targets)
            {
                Apply(Guid.Parse((string)target!["accountid"]!), target.AsObject());
            }

            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }

        if (request.Method == HttpMethod.Patch && path.StartsWith("pg_reassignmentruns(", StringComparison.Ordinal))
        {
            var id = Guid.Parse(GuidPattern().Match(path).Value);
            var row = Runs.TryGetValue(id, out var existing) ? existing : Runs[id] = [];
            foreach (var (name, value) in JsonNode.Parse(body)!.AsObject())
            {
                row[name] = value?.DeepClone();
            }

            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }

        if (request.Method == HttpMethod.Post && path.StartsWith("$batch", StringComparison.Ordinal))
        {
            return Batch(body);
        }

        if (request.Method == HttpMethod.Get && path.StartsWith("accounts?", StringComparison.Ordinal))
        {
            return Query(request, path);
        }

        return Json(HttpStatusCode.NotFound, Error("0x80060888", $"Resource not found for the segment '{path}'."));
    }

    private HttpResponseMessage Query(HttpRequestMessage request, string path)
    {
        IEnumerable<FakeAccount> rows = Accounts.Values.OrderBy(a => a.Id.ToString("D", CultureInfo.InvariantCulture), StringComparer.Ordinal);
        if (path.Contains("(accountid eq ", StringComparison.Ordinal) || path.Contains("In(PropertyName='accountid'", StringComparison.Ordinal))
        {
            var ids = GuidPattern().Matches(path[path.IndexOf("$filter", StringComparison.Ordinal)..]).Select(m => Guid.Parse(m.Value)).ToHashSet();
            rows = rows.Where(a => ids.Contains(a.Id));
        }
        else if (path.Contains("(customertypecode eq ", StringComparison.Ordinal))
        {
            rows = rows.Where(a => a.Active && a.RelationshipType is 5 or 9);
        }
        else
        {
            rows = rows.Where(a => a.Active);
        }

        var list = rows.ToList();
        var pageSize = int.MaxValue;
        if (request.Headers.TryGetValues("Prefer", out var prefer) && MaxPageSize().Match(string.Join(",", prefer)) is { Success: true } m)
        {
            pageSize = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var skip = SkipToken().Match(path) is { Success: true } s ? int.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var page = list.Skip(skip).Take(pageSize).ToList();
        var result = new JsonObject { ["value"] = new JsonArray(page.Select(a => (JsonNode)a.ToJson()).ToArray()) };
        if (skip + pageSize < list.Count)
        {
            var basePath = SkipToken().Replace(path, string.Empty);
            result["@odata.nextLink"] = Root + basePath + $"&$skiptoken={skip + pageSize}";
        }

        return Json(HttpStatusCode.OK, result.ToJsonString());
    }

    private HttpResponseMessage Batch(string body)
    {
        var parts = PatchPart().Matches(body);
        var response = new StringBuilder();
        foreach (Match part in parts)
        {
            var id = Guid.Parse(part.Groups[1].Value);
            response.Append("--batchresponse_fake\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            if (Refuse.Contains(id))
            {
                response.Append("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; odata.metadata=minimal\r\n\r\n");
                response.Append(Error("0x80040265", $"A plug-in refused account {id:D}. {ErrorEcho}")).Append("\r\n");
                continue;
            }

            Apply(id, JsonNode.Parse(part.Groups[2].Value)!.AsObject());
            response.Append("HTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\n\r\n\r\n");
        }

        response.Append("--batchresponse_fake--\r\n");
        var content = new StringContent(response.ToString(), Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=batchresponse_fake");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private void Apply(Guid id, JsonObject changes)
    {
        var account = Accounts[id];
        foreach (var (name, value) in changes)
        {
            switch (name)
            {
                case "pg_AssignedPartnerId@odata.bind":
                    account.Partner = value is null ? null : Guid.Parse(GuidPattern().Match((string)value!).Value);
                    break;
                case "ownerid@odata.bind":
                    var text = (string)value!;
                    account.Owner = Guid.Parse(GuidPattern().Match(text).Value);
                    account.OwnerTable = text.StartsWith("/teams", StringComparison.Ordinal) ? "team" : "systemuser";
                    break;
                case "pg_partnerassignedon":
                    account.AssignedOn = value is null ? null : DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture);
                    break;
                case "pg_assignmentrun":
                    account.Run = (string?)value;
                    break;
                case "@odata.type" or "accountid":
                    break;
                default:
                    throw new InvalidOperationException($"The console sent an unexpected column '{name}'.");
            }
        }

        Writes[id] = Writes.GetValueOrDefault(id) + 1;
    }

    private static string Error(string code, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString();

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"odata\.maxpagesize=(\d+)")]
    private static partial Regex MaxPageSize();

    [GeneratedRegex(@"&\$skiptoken=(\d+)")]
    private static partial Regex SkipToken();

    [GeneratedRegex(@"PATCH \S*accounts\(([0-9a-f-]{36})\)\S* HTTP/1\.1\r\n(?:[^\r\n]+\r\n)*\r\n(\{[^\r\n]*\})")]
    private static partial Regex PatchPart();
}

internal sealed class FakeAccount
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public string? Number { get; init; }

    public string? Country { get; init; }

    public bool Active { get; init; } = true;

    public int? RelationshipType { get; init; }

    public int? Capacity { get; init; }

    public string? Countries { get; init; }

    public Guid? Team { get; init; }

    public Guid? Owner { get; set; }

    public string? OwnerTable { get; set; }

    public Guid? Partner { get; set; }

    public DateTimeOffset? AssignedOn { get; set; }

    public string? Run { get; set; }

    public JsonObject ToJson() => new()
    {
        ["@odata.etag"] = "W/\"1\"",
        ["accountid"] = Id.ToString("D", CultureInfo.InvariantCulture),
        ["name"] = Name,
        ["accountnumber"] = Number,
        ["address1_country"] = Country,
        ["customertypecode"] = RelationshipType,
        ["statecode"] = Active ? 0 : 1,
        ["pg_partnercapacity"] = Capacity,
        ["pg_partnercountries"] = Countries,
        ["_pg_partnerteamid_value"] = Team?.ToString("D", CultureInfo.InvariantCulture),
        ["_ownerid_value"] = Owner?.ToString("D", CultureInfo.InvariantCulture),
        ["_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"] = OwnerTable,
        ["_pg_assignedpartnerid_value"] = Partner?.ToString("D", CultureInfo.InvariantCulture),
        ["pg_partnerassignedon"] = AssignedOn?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["pg_assignmentrun"] = Run,
    };
}
