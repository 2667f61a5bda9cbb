extern alias PluginAssembly;

using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Benchmarks.Reassignment;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.Benchmarks;

/// <summary>
/// The emulator's per-record costs on the reassignment's path, on the org the reassignment harness uses (the
/// PartnerGuard solution with its plugin steps, 5,000 customers and 20 partners): UpdateMultiple of 100 accounts and
/// a read of 100 accounts by id, in process (IOrganizationService) and through the Web API front (the in-memory
/// handler: routing, OData parsing, JSON, no socket), next to one single Update/PATCH (the naive path's request).
/// Run: dotnet run -c Release --project Benchmarks -- --filter '*EmulatorBulk*'
/// </summary>
[MemoryDiagnoser]
public class EmulatorBulkBenchmarks
{
    private const int Batch = 100;
    private const string Select = "accountid,_pg_assignedpartnerid_value,_ownerid_value,pg_partnerassignedon,pg_assignmentrun";
    private DataverseOrg _org = null!;
    private IOrganizationService _service = null!;
    private HttpClient _http = null!;
    private Guid[] _customers = Array.Empty<Guid>();
    private Guid[] _partners = Array.Empty<Guid>();
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _org = DataverseOrg.Create(new DataverseOrgOptions { PluginTypeResolver = PartnerGuard.Emulator.Pipeline.PluginTypeResolver.FromAssemblies(typeof(PluginAssembly::PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly) });
        _org.LoadSolution(SolutionFolder());
        ReassignmentData.SeedInto(_org, customers: 5_000, partners: 20);
        _service = _org.GetService();
        var all = _service.RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("customertypecode") }).Entities;
        _customers = all.Where(e => e.GetAttributeValue<OptionSetValue>("customertypecode").Value == 3).Select(e => e.Id).ToArray();
        _partners = all.Where(e => e.GetAttributeValue<OptionSetValue>("customertypecode").Value == 5).Select(e => e.Id).ToArray();
        _http = new HttpClient(DataverseWebApi.CreateHandler(new DataverseWebApiServer(_org, new DataverseWebApiOptions
        {
            ServiceProtection = new ServiceProtectionOptions { Enabled = false },
        })))
        {
            BaseAddress = DataverseWebApi.DefaultBaseAddress,
        };
    }

    private static string SolutionFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "solution", "src");
            if (File.Exists(Path.Combine(candidate, "Other", "Solution.xml")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"solution/src was not found above {AppContext.BaseDirectory}.");
    }

    [GlobalCleanup]
    public void Cleanup() => _http.Dispose();

    private Guid[] NextBatch()
    {
        var start = (_next += Batch) % (_customers.Length - Batch);
        return _customers.AsSpan(start, Batch).ToArray();
    }

    private Guid Partner(int i) => _partners[i % _partners.Length];

    /// <summary>UpdateMultiple of 100 accounts in process: partner lookup, owner, date and run id, as apply writes them.</summary>
    [Benchmark]
    public void UpdateMultiple100_InProcess()
    {
        var ids = NextBatch();
        var now = DateTime.UtcNow;
        var targets = new EntityCollection(ids.Select((id, i) => new Entity("account", id)
        {
            ["pg_assignedpartnerid"] = new EntityReference("account", Partner(i + _next)),
            ["ownerid"] = new EntityReference("systemuser", _org.AdministratorId),
            ["pg_partnerassignedon"] = now,
            ["pg_assignmentrun"] = "bench",
        }).ToList())
        {
            EntityName = "account",
        };
        _service.Execute(new UpdateMultipleRequest { Targets = targets });
    }

    /// <summary>A read of 100 accounts by id in process (QueryExpression, accountid in 100 ids).</summary>
    [Benchmark]
    public int Read100ById_InProcess()
    {
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("accountid", "pg_assignedpartnerid", "ownerid", "pg_partnerassignedon", "pg_assignmentrun") };
        query.Criteria.AddCondition("accountid", ConditionOperator.In, NextBatch().Cast<object>().ToArray());
        return _service.RetrieveMultiple(query).Entities.Count;
    }

    /// <summary>One Update of one account in process (the naive path's unit of work).</summary>
    [Benchmark]
    public void UpdateSingle_InProcess()
        => _service.Update(new Entity("account", NextBatch()[0]) { ["pg_assignedpartnerid"] = new EntityReference("account", Partner(_next)), ["pg_assignmentrun"] = "bench" });

    /// <summary>POST accounts/Microsoft.Dynamics.CRM.UpdateMultiple with 100 targets, the body apply sends.</summary>
    [Benchmark]
    public async Task UpdateMultiple100_WebApi()
    {
        var ids = NextBatch();
        var body = new StringBuilder("{\"Targets\":[");
        for (var i = 0; i < ids.Length; i++)
        {
            body.Append(i == 0 ? "" : ",")
                .Append("{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"").Append(ids[i])
                .Append("\",\"pg_AssignedPartnerId@odata.bind\":\"/accounts(").Append(Partner(i + _next))
                .Append(")\",\"ownerid@odata.bind\":\"/systemusers(").Append(_org.AdministratorId)
                .Append(")\",\"pg_partnerassignedon\":\"2026-11-27T09:00:00Z\",\"pg_assignmentrun\":\"bench\"}");
        }

        body.Append("]}");
        await Send(HttpMethod.Post, "accounts/Microsoft.Dynamics.CRM.UpdateMultiple", body.ToString());
    }

    /// <summary>GET of 100 accounts by id with an or-chain of 100 terms, as apply reads each batch.</summary>
    [Benchmark]
    public Task Read100ById_WebApi_OrChain()
        => Send(HttpMethod.Get, $"accounts?$select={Select}&$filter=" + Uri.EscapeDataString(string.Join(" or ", NextBatch().Select(id => $"accountid eq {id}"))), null);

    /// <summary>GET of 100 accounts by id with Microsoft.Dynamics.CRM.In.</summary>
    [Benchmark]
    public Task Read100ById_WebApi_In()
        => Send(HttpMethod.Get, $"accounts?$select={Select}&$filter=" + Uri.EscapeDataString(
            $"Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=[{string.Join(",", NextBatch().Select(id => $"'{id}'"))}])"), null);

    /// <summary>One PATCH of one account with If-Match: * (the naive path's request).</summary>
    [Benchmark]
    public Task PatchSingle_WebApi()
        => Send(HttpMethod.Patch, $"accounts({NextBatch()[0]})",
            $"{{\"pg_AssignedPartnerId@odata.bind\":\"/accounts({Partner(_next)})\",\"pg_assignmentrun\":\"bench\"}}", ("If-Match", "*"));

    private async Task Send(HttpMethod method, string url, string? json, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("OData-Version", "4.0");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {url[..Math.Min(url.Length, 80)]} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.ReadAsByteArrayAsync();
    }
}
