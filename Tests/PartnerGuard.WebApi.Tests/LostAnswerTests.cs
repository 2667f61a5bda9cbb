using System.Text;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// <see cref="FaultInjectionOptions.LostAnswerRate"/>: a write runs, then its answer is lost (the connection closes
/// without a response). The client sees a failed request; the org holds the change, made once. Reads never lose theirs.
/// </summary>
public sealed class LostAnswerTests
{
    private static readonly DataverseWebApiOptions Losing = new()
    {
        ServiceProtection = new ServiceProtectionOptions { Enabled = false },
        Faults = new FaultInjectionOptions { LostAnswerRate = 1 },
    };

    [Fact]
    public async Task InMemory_UpdateMultipleRuns_ThenTheClientGetsNoAnswer()
    {
        using var api = new WebApiFixture(Losing);
        var ids = api.Org.Seed(Enumerable.Range(0, 3).Select(i => new Entity("account") { ["name"] = $"Account {i}" })).ToList();
        var before = Versions(api.Org, ids);
        var targets = string.Join(",", ids.Select(id => $$"""{"@odata.type":"Microsoft.Dynamics.CRM.account","accountid":"{{id:D}}","name":"renamed"}"""));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => api.SendAsync(HttpMethod.Post, "accounts/Microsoft.Dynamics.CRM.UpdateMultiple", $$"""{"Targets":[{{targets}}]}"""));

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        var after = Versions(api.Org, ids);
        foreach (var id in ids)
        {
            Assert.Equal("renamed", Name(api.Org, id));
            Assert.True(after[id] > before[id], "the update ran");
        }

        // Reads answer as usual under the same fault rate.
        var (response, _) = await api.GetAsync("WhoAmI");
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Loopback_PatchRuns_ThenTheConnectionCloses()
    {
        var org = DataverseOrg.Create();
        var id = org.Seed(new Entity("account") { ["name"] = "Before" });
        await using var host = await DataverseWebApi.StartAsync(org, "http://127.0.0.1:0", Losing);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"accounts({id:D})") { Content = new StringContent("""{"name":"After"}""", Encoding.UTF8, "application/json") };
        patch.Headers.TryAddWithoutValidation("If-Match", "*");

        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(patch));

        Assert.Equal("After", Name(org, id));
        using var read = await http.GetAsync($"accounts({id:D})?$select=name");
        Assert.True(read.IsSuccessStatusCode);
    }

    [Fact]
    public async Task NoLostAnswerRate_SameSeed_DrawsTheSameFaultsAsBefore()
    {
        // Adding the option must not move the draws of the existing faults: a seed gives the same 503s with it at 0.
        async Task<string> Statuses(FaultInjectionOptions faults)
        {
            using var api = new WebApiFixture(new DataverseWebApiOptions { ServiceProtection = new ServiceProtectionOptions { Enabled = false }, Faults = faults });
            var statuses = new List<int>();
            for (var i = 0; i < 50; i++)
            {
                statuses.Add((int)(await api.GetAsync("WhoAmI")).Response.StatusCode);
            }

            return string.Join(",", statuses);
        }

        Assert.Equal(
            await Statuses(new FaultInjectionOptions { Seed = 3, TransientFailureRate = 0.3 }),
            await Statuses(new FaultInjectionOptions { Seed = 3, TransientFailureRate = 0.3, LostAnswerRate = 0.5 }));
    }

    private static Dictionary<Guid, long> Versions(DataverseOrg org, IEnumerable<Guid> ids) =>
        ids.ToDictionary(id => id, id => (long)org.GetService().Retrieve("account", id, new ColumnSet("versionnumber"))["versionnumber"]);

    private static string Name(DataverseOrg org, Guid id) => (string)org.GetService().Retrieve("account", id, new ColumnSet("name"))["name"];
}
