using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Tests.WebApi;

/// <summary>
/// The client's In(...) reads and long GETs sent inside $batch, against the emulator's Web API (in memory, no socket),
/// so both sides agree on the wire format: Microsoft.Dynamics.CRM.In with quoted ids ("Filter rows using OData"), and a
/// GET part outside any change set whose URL is over 32,768 characters ("Compose HTTP requests and handle errors",
/// Maximum URL length; "Execute batch operations using the Web API").
/// </summary>
public sealed class EmulatorRoundTripTests
{
    [Fact]
    public async Task ReadById_WithIn_FindsEveryRow()
    {
        var org = DataverseOrg.Create();
        var ids = org.Seed(Enumerable.Range(0, 100).Select(i => new Entity("account") { ["name"] = $"Account {i:D3}" })).ToList();
        var client = WebApiTestHarness.Create(DataverseWebApi.CreateHandler(org), TimeProvider.System, out _);

        var found = new List<Guid>();
        await foreach (var id in client.QueryAsync($"accounts?$select=accountid&$filter={ODataFilter.In("accountid", [.. ids.Take(99), Guid.Parse("00000000-0000-0000-0000-0000000000ff")])}", r => r.GetProperty("accountid").GetGuid(), CancellationToken.None))
        {
            found.Add(id);
        }

        Assert.Equal(ids.Take(99).Order(), found.Order());
    }

    [Fact]
    public async Task LongQuery_GoesThroughBatch_AndPagesByNextLink()
    {
        var org = DataverseOrg.Create();
        var ids = org.Seed(Enumerable.Range(0, 25).Select(i => new Entity("account") { ["name"] = $"Account {i:D3}" })).ToList();
        var client = WebApiTestHarness.Create(DataverseWebApi.CreateHandler(org), TimeProvider.System, out _, new WebApiOptions { AttemptTimeout = null, MaxPageSize = 10 });
        var unknown = Enumerable.Range(1, 900).Select(i => new Guid($"00000000-0000-0000-0000-{i:D12}"));
        var query = $"accounts?$select=name&$orderby=name&$filter={ODataFilter.In("accountid", ids.Concat(unknown))}";
        Assert.True(new Uri(client.ApiRoot, query).AbsoluteUri.Length > DataverseWebApiClient.MaxUrlLength);

        var found = new List<string>();
        await foreach (var name in client.QueryAsync(query, r => r.GetProperty("name").GetString()!, CancellationToken.None))
        {
            found.Add(name);
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"Account {i:D3}"), found);
    }
}
