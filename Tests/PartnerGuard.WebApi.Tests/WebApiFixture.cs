using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

/// <summary>An org with PartnerGuard's account lookup, served through the in-memory handler to a plain HttpClient.</summary>
internal sealed class WebApiFixture : IDisposable
{
    public WebApiFixture(DataverseWebApiOptions? options = null, Action<DataverseOrg>? configure = null)
    {
        Org = DataverseOrg.Create();
        // The PartnerGuard lookup from DESIGN.md §2: account.pg_assignedpartnerid → account, schema name pg_AssignedPartnerId.
        Org.Metadata.Get("account").AddColumn(new ColumnMetadata("pg_assignedpartnerid", ColumnType.Lookup)
        {
            SchemaName = "pg_AssignedPartnerId",
            Targets = new[] { "account" },
        });
        configure?.Invoke(Org);
        Server = new DataverseWebApiServer(Org, options);
        Http = new HttpClient(DataverseWebApi.CreateHandler(Server)) { BaseAddress = DataverseWebApi.DefaultBaseAddress };
    }

    public DataverseOrg Org { get; }

    public DataverseWebApiServer Server { get; }

    public HttpClient Http { get; }

    public Guid SeedAccount(string name, Action<Entity>? set = null)
    {
        var entity = new Entity("account") { ["name"] = name };
        set?.Invoke(entity);
        return Org.Seed(entity);
    }

    public static HttpRequestMessage Request(HttpMethod method, string url, string? json = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("OData-MaxVersion", "4.0");
        request.Headers.Add("OData-Version", "4.0");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string url, string? json = null, params (string Name, string Value)[] headers)
    {
        var response = await Http.SendAsync(Request(method, url, json, headers));
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response, body);
    }

    public Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string url, params (string Name, string Value)[] headers)
        => SendAsync(HttpMethod.Get, url, null, headers);

    public static string ErrorCode(JsonElement body) => body.GetProperty("error").GetProperty("code").GetString()!;

    public static string ErrorMessage(JsonElement body) => body.GetProperty("error").GetProperty("message").GetString()!;

    public void Dispose() => Http.Dispose();
}
