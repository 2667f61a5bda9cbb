using System.Net;
using System.Text;
using System.Text.Json;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

/// <summary>The same protocol hosted by Kestrel on a loopback port (a free port: http://127.0.0.1:0).</summary>
public sealed class LoopbackTests
{
    [Fact]
    public async Task Loopback_ServesTheSameProtocol()
    {
        var org = DataverseOrg.Create();
        await using var host = await DataverseWebApi.StartAsync(org, "http://127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        Assert.Equal("127.0.0.1", host.BaseAddress.Host);
        Assert.EndsWith("/api/data/v9.2/", host.BaseAddress.AbsolutePath, StringComparison.Ordinal);

        using var whoAmI = JsonDocument.Parse(await http.GetStringAsync("WhoAmI"));
        Assert.Equal(org.AdministratorId, whoAmI.RootElement.GetProperty("UserId").GetGuid());

        using var create = new HttpRequestMessage(HttpMethod.Post, "accounts") { Content = new StringContent("""{"name":"Over loopback"}""", Encoding.UTF8, "application/json") };
        using var created = await http.SendAsync(create);
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        var entityId = created.Headers.GetValues("OData-EntityId").Single();
        Assert.StartsWith(host.BaseAddress.AbsoluteUri, entityId, StringComparison.Ordinal);

        using var read = await http.GetAsync(new Uri(entityId + "?$select=name"));
        using var row = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        Assert.Equal("Over loopback", row.RootElement.GetProperty("name").GetString());
        Assert.True(read.Headers.Contains("x-ms-dop-hint"));
    }

    [Fact]
    public async Task Loopback_ErrorsKeepTheirStatusAndShape()
    {
        var org = DataverseOrg.Create();
        await using var host = await DataverseWebApi.StartAsync(org, "http://127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync("accounts?$filter=nosuchcolumn eq 1");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nosuchcolumn", body.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonLoopbackAddress_IsRefused()
    {
        var org = DataverseOrg.Create();
        await Assert.ThrowsAsync<ArgumentException>(() => DataverseWebApi.StartAsync(org, "http://0.0.0.0:0"));
    }
}
