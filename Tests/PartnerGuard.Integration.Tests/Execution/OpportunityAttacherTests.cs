extern alias PluginAssembly;

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.App;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Policy.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Execution;

/// <summary>
/// The attacher against the emulator with PartnerGuard's solution loaded, so the real channel plugin decides every
/// update (Enforce mode). Small chunks (2 accounts) and batches (2 deals) give several of each from a few rows.
/// A counting handler between the client and the emulator counts, per deal, the writes the server reported as done.
/// </summary>
public sealed partial class OpportunityAttacherTests
{
    private const string RunId = "att-1";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid PartnerA = Id(1);
    private static readonly Guid PartnerGone = Id(2);
    private static readonly Guid OtherPartner = Id(3);
    private static readonly Guid[] Customers = [Id(11), Id(12), Id(13), Id(14), Id(15)];
    private static readonly Guid RefusedCustomer = Id(16);
    private static readonly Guid NotAssignedCustomer = Id(17);

    /// <summary>Open deals without a partner, on customers that carry their planned partner: to be attached.</summary>
    private static readonly Guid[] OpenDeals = [Id(101), Id(102), Id(103), Id(104), Id(105), Id(106), Id(107)];
    private static readonly Guid RefusedDeal = Id(110);
    private static readonly Guid ClosedDeal = Id(111);
    private static readonly Guid DealWithPartner = Id(112);
    private static readonly Guid DealOfUnassigned = Id(113);

    private static readonly AttachSettings Small = new(AccountsPerChunk: 2, DealsPerBatch: 2, WritePath.Auto, new VirtualTimeProvider(Now));

    // Microsoft Learn, "Use bulk operation messages" (power-apps/developer/data-platform/bulk-operations), section
    // "Message pipelines merged": UpdateMultiple raises the Update event for each target, so the channel plugin
    // registered on opportunity Update decides every deal of an UpdateMultiple; section "On Error behavior with
    // standard tables": any error rolls the whole operation back (no partial success), with $batch as the fallback
    // to isolate the failing records. The emulator behaves the same way; here one deal of a batch names a partner
    // that is no longer active, the plugin refuses it (PG-002), and the others of that batch are still attached.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Attach_PluginDecidesEveryDeal_ARefusedDealIsReportedAndTheOthersAttached(bool batchOnly)
    {
        var path = batchOnly ? WritePath.Batch : WritePath.Auto;
        using var temp = new TempDirectory();
        var org = CreateOrg();
        var counter = new WriteCounter(org);
        var output = new StringWriter();

        var code = await RunAsync(org, counter, temp.Path, output, Small with { WritePath = path });

        Assert.Equal(ExitCodes.RecordFailures, code);
        var service = org.GetService();
        foreach (var id in OpenDeals)
        {
            var deal = service.Retrieve("opportunity", id, new ColumnSet(true));
            Assert.Equal(PartnerA, deal.GetAttributeValue<EntityReference>("pg_partnerid")?.Id);
            Assert.Equal(ChannelOptionValues.Partner, deal.GetAttributeValue<OptionSetValue>("pg_channel")?.Value);
            Assert.False(string.IsNullOrWhiteSpace(deal.GetAttributeValue<string>("pg_channelreason")));
            Assert.Equal(1, counter.WritesOf(id));
        }

        Assert.Null(service.Retrieve("opportunity", RefusedDeal, new ColumnSet("pg_partnerid")).GetAttributeValue<EntityReference>("pg_partnerid"));
        foreach (var untouched in new[] { ClosedDeal, DealWithPartner, DealOfUnassigned })
        {
            Assert.Equal(0, counter.WritesOf(untouched));
        }

        Assert.Equal(OtherPartner, service.Retrieve("opportunity", DealWithPartner, new ColumnSet("pg_partnerid")).GetAttributeValue<EntityReference>("pg_partnerid")?.Id);

        var report = ReadReport(temp.Path);
        Assert.Equal(OpenDeals.Order(), report.Where(r => r.Outcome == "attached").Select(r => r.Deal).Order());
        var refused = Assert.Single(report, r => r.Outcome == "failed");
        Assert.Equal(RefusedDeal, refused.Deal);
        Assert.Contains("PG-002", refused.Reason, StringComparison.Ordinal);
        Assert.All(report.Where(r => r.Outcome == "attached"), r => Assert.Equal(ChannelOptionValues.Partner.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Channel));
        Assert.Contains("7 attached to the account's new partner, 1 failed", output.ToString());

        if (path == WritePath.Auto)
        {
            // The emulator answers the sdkmessagefilters probe with UpdateMultiple for opportunity: one bulk request
            // per batch, and the batch holding the refused deal sent again as $batch.
            Assert.Contains("Write path: UpdateMultiple", output.ToString());
            Assert.Equal(1, counter.BatchRequests);
        }
        else
        {
            Assert.Equal(0, counter.UpdateMultipleRequests);
        }
    }

    [Fact]
    public async Task Attach_RequestsPerChunk_AreTwoReadsPlusTwoPerBatch()
    {
        using var temp = new TempDirectory();
        var org = CreateOrg();
        var counter = new WriteCounter(org);

        // Default sizes: the 7 planned accounts are one chunk, the 8 selected deals one batch.
        await RunAsync(org, counter, temp.Path, new StringWriter(), AttachSettings.Default with { Time = new VirtualTimeProvider(Now) });

        // accounts + deals (2 reads), UpdateMultiple (refused as a whole), $batch, one read-back = 5 data requests.
        Assert.Equal(5, counter.DataRequests);
    }

    /// <summary>
    /// Requests per 1,000 planned accounts with one open deal each, at the default sizes: per chunk of 50 accounts,
    /// two reads, one UpdateMultiple of its 50 deals and one read-back, so 80 data requests (one PATCH and one
    /// read-back per deal would be 2,000 plus the reads).
    /// </summary>
    [Fact]
    public async Task Attach_ThousandAccounts_TakesEightyDataRequests()
    {
        using var temp = new TempDirectory();
        var org = SolutionOrg.Create(typeof(PluginAssembly::PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly, clock: TestClock.At(Now)).Org;
        org.Seed(Account(PartnerA, "Partner A", partnerType: true));
        var customers = Enumerable.Range(0, 1000).Select(i => Id(1_000_000 + i)).ToList();
        foreach (var customer in customers)
        {
            org.Seed(Account(customer, $"Customer {customer:N}", assigned: PartnerA));
            org.Seed(Deal(Id(2_000_000 + customers.IndexOf(customer)), customer));
        }

        org.SetEnvironmentVariable("pg_EnforcementMode", "Enforce");
        var counter = new WriteCounter(org);
        var output = new StringWriter();

        var code = await RunAsync(org, counter, temp.Path, output, AttachSettings.Default with { Time = new VirtualTimeProvider(Now) }, customers.Select(c => (c, PartnerA)));

        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains("1000 attached", output.ToString());
        Assert.Equal(20, counter.UpdateMultipleRequests);
        Assert.Equal(80, counter.DataRequests);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(1, counter.WritesOf(Id(2_000_000 + i))));
    }

    public static TheoryData<int, bool> CrashPoints()
    {
        var data = new TheoryData<int, bool>();
        for (var append = 2; append <= 16; append++)
        {
            data.Add(append, true);
            data.Add(append, false);
        }

        return data;
    }

    /// <summary>
    /// Killed at a journal append (the line torn in half, or lost whole) — in particular after a batch was sent and
    /// before its outcome line reached the disk — then resumed: every deal is written exactly once, the report lists
    /// each deal once, and the refused deal is not sent again once its outcome is recorded.
    /// </summary>
    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task Attach_CrashAtAnyJournalLine_ResumeAttachesEveryDealExactlyOnce(int crashAt, bool torn)
    {
        using var temp = new TempDirectory();
        var org = CreateOrg();
        var counter = new WriteCounter(org);
        var faults = new JournalFaults((append, length) => append == crashAt ? (torn ? length / 2 : 0) : null);

        var crashed = false;
        try
        {
            await RunAsync(org, counter, temp.Path, new StringWriter(), Small with { Faults = faults });
        }
        catch (SimulatedCrashException)
        {
            crashed = true;
        }

        var output = new StringWriter();
        var code = await RunAsync(org, counter, temp.Path, output, Small);

        Assert.Equal(ExitCodes.RecordFailures, code);
        AssertAttachedExactlyOnce(org, counter);
        var report = ReadReport(temp.Path);
        Assert.Equal(OpenDeals.Append(RefusedDeal).Order(), report.Select(r => r.Deal).Order());
        Assert.Equal(RefusedDeal, Assert.Single(report, r => r.Outcome == "failed").Deal);
        if (!crashed)
        {
            // No crash at this append (the run had fewer lines): the second session found everything settled.
            Assert.Contains("0 attached to the account's new partner, 0 failed", output.ToString());
        }
    }

    /// <summary>The process killed while a batch was in flight: the server applied it, the answer never arrived.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task Attach_CrashWithAWriteInFlight_ResumeReReadsTheDealsInDoubt(int write)
    {
        using var temp = new TempDirectory();
        var org = CreateOrg();
        var counter = new WriteCounter(org) { CrashAfterWrite = write };

        await Assert.ThrowsAsync<SimulatedCrashException>(() => RunAsync(org, counter, temp.Path, new StringWriter(), Small));
        var journal = File.ReadAllLines(OpportunityJournal.PathFor(temp.Path, RunId));
        Assert.StartsWith("{\"kind\":\"intent\"", journal[^1], StringComparison.Ordinal);

        counter.CrashAfterWrite = null;
        var code = await RunAsync(org, counter, temp.Path, new StringWriter(), Small);

        Assert.Equal(ExitCodes.RecordFailures, code);
        AssertAttachedExactlyOnce(org, counter);
        Assert.Equal(OpenDeals.Append(RefusedDeal).Order(), ReadReport(temp.Path).Select(r => r.Deal).Order());
    }

    /// <summary>
    /// The service refusing whole write requests (not a verdict on any deal) stops the attach with exit 4 and the batch
    /// in doubt, instead of recording its deals as failed; running again attaches them.
    /// </summary>
    [Fact]
    public async Task Attach_WholeRequestsRefused_StopsResumable_ThenResumeAttaches()
    {
        using var temp = new TempDirectory();
        var org = CreateOrg();
        var counter = new WriteCounter(org) { RefuseWrites = true };
        var output = new StringWriter();

        Assert.Equal(ExitCodes.Interrupted, await RunAsync(org, counter, temp.Path, output, Small));
        Assert.Contains("Run the same command again to resume", output.ToString());
        Assert.Contains("simulated outage", output.ToString());
        Assert.StartsWith("{\"kind\":\"intent\"", File.ReadAllLines(OpportunityJournal.PathFor(temp.Path, RunId))[^1], StringComparison.Ordinal);
        Assert.All(OpenDeals, id => Assert.Equal(0, counter.WritesOf(id)));

        counter.RefuseWrites = false;
        Assert.Equal(ExitCodes.RecordFailures, await RunAsync(org, counter, temp.Path, new StringWriter(), Small));
        AssertAttachedExactlyOnce(org, counter);
    }

    [Fact]
    public void Journal_DamagedInTheMiddle_StopsWithTheLine()
    {
        using var temp = new TempDirectory();
        var path = OpportunityJournal.PathFor(temp.Path, RunId);
        File.WriteAllText(path, "{\"kind\":\"start\",\"run\":\"att-1\"}\n{\"kind\":\"intent\",\"batch\":0,\"chu\n{\"kind\":\"start\",\"run\":\"att-1\"}\n");

        var error = Assert.Throws<JournalException>(() => OpportunityJournal.Open(path, RunId, Now));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Journal_OfAnotherRun_IsRefused()
    {
        using var temp = new TempDirectory();
        var path = OpportunityJournal.PathFor(temp.Path, RunId);
        using (OpportunityJournal.Open(path, "other", Now))
        {
        }

        var error = Assert.Throws<JournalException>(() => OpportunityJournal.Open(path, RunId, Now));
        Assert.Contains("'other'", error.Message, StringComparison.Ordinal);
    }

    private static void AssertAttachedExactlyOnce(DataverseOrg org, WriteCounter counter)
    {
        var service = org.GetService();
        foreach (var id in OpenDeals)
        {
            Assert.True(counter.WritesOf(id) == 1, $"deal {id} was written {counter.WritesOf(id)} times");
            var deal = service.Retrieve("opportunity", id, new ColumnSet("pg_partnerid", "pg_channel"));
            Assert.Equal(PartnerA, deal.GetAttributeValue<EntityReference>("pg_partnerid")?.Id);
            Assert.Equal(ChannelOptionValues.Partner, deal.GetAttributeValue<OptionSetValue>("pg_channel")?.Value);
        }

        foreach (var untouched in new[] { RefusedDeal, ClosedDeal, DealWithPartner, DealOfUnassigned })
        {
            Assert.Equal(0, counter.WritesOf(untouched));
        }
    }

    private static async Task<int> RunAsync(DataverseOrg org, WriteCounter counter, string folder, StringWriter output, AttachSettings settings, IEnumerable<(Guid, Guid)>? plan = null)
    {
        var options = new WebApiOptions { AttemptTimeout = null };
        var dop = new DopHint();
        var http = DataverseHttp.CreateClient(new Uri("http://localhost/"), options, dop, new VirtualTimeProvider(Now), credential: null, new NonDisposing(counter));
        var client = new DataverseWebApiClient(http, options, dop);
        var planned = (plan ?? Customers.Select(c => (c, PartnerA)).Append((RefusedCustomer, PartnerGone)).Append((NotAssignedCustomer, PartnerA))).ToAsyncEnumerable();
        return await OpportunityAttacher.RunAsync(client, new AttachRun(RunId, planned, folder, folder, output, s => s, ExitCodes.Done), settings, CancellationToken.None);
    }

    /// <summary>
    /// Partners A (active) and "gone" (a partner account, deactivated after the customer was assigned to it), five
    /// customers assigned to A, one assigned to "gone", one planned but not assigned. Deals are seeded (no plugin).
    /// </summary>
    private static DataverseOrg CreateOrg()
    {
        var org = SolutionOrg.Create(typeof(PluginAssembly::PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly, clock: TestClock.At(Now)).Org;
        org.Seed(Account(PartnerA, "Partner A", partnerType: true));
        org.Seed(Account(PartnerGone, "Partner gone", partnerType: true, inactive: true));
        org.Seed(Account(OtherPartner, "Other partner", partnerType: true));
        foreach (var customer in Customers)
        {
            org.Seed(Account(customer, $"Customer {customer:N}", assigned: PartnerA));
        }

        org.Seed(Account(RefusedCustomer, "Customer of a gone partner", assigned: PartnerGone));
        org.Seed(Account(NotAssignedCustomer, "Customer not assigned"));

        // Seven open deals over the five customers (two customers have two), in batches of two, so the refused
        // deal shares its batch with a good one when it comes in the same chunk.
        int[] owners = [0, 0, 1, 2, 3, 3, 4];
        for (var i = 0; i < OpenDeals.Length; i++)
        {
            org.Seed(Deal(OpenDeals[i], Customers[owners[i]]));
        }

        org.Seed(Deal(RefusedDeal, RefusedCustomer));
        var closed = Deal(ClosedDeal, Customers[1]);
        closed["statecode"] = new OptionSetValue(1);
        closed["statuscode"] = new OptionSetValue(3);
        org.Seed(closed);
        var withPartner = Deal(DealWithPartner, Customers[2]);
        withPartner["pg_partnerid"] = new EntityReference("account", OtherPartner);
        org.Seed(withPartner);
        org.Seed(Deal(DealOfUnassigned, NotAssignedCustomer));
        org.SetEnvironmentVariable("pg_EnforcementMode", "Enforce");
        return org;
    }

    private static Entity Account(Guid id, string name, bool partnerType = false, bool inactive = false, Guid? assigned = null)
    {
        var row = new Entity("account", id) { ["name"] = name };
        if (partnerType)
        {
            row["customertypecode"] = new OptionSetValue(5);
        }

        if (inactive)
        {
            row["statecode"] = new OptionSetValue(1);
            row["statuscode"] = new OptionSetValue(2);
        }

        if (assigned is { } partner)
        {
            row["pg_assignedpartnerid"] = new EntityReference("account", partner);
        }

        return row;
    }

    private static Entity Deal(Guid id, Guid customer) => new("opportunity", id)
    {
        ["name"] = $"Deal {id:N}",
        ["customerid"] = new EntityReference("account", customer),
    };

    private static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:000000000000}");

    private sealed record ReportRow(Guid Deal, string Outcome, string Channel, string Reason);

    private static List<ReportRow> ReadReport(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, $"{RunId}.apply.opportunities.csv"));
        Assert.Equal("opportunity_id,account_id,partner_id,outcome,channel,channel_reason", lines[0]);
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',', 6);
            return new ReportRow(Guid.Parse(cells[0]), cells[3], cells[4], cells[5]);
        }).ToList();
    }

    /// <summary>
    /// Counts, per deal, the writes the server reported as done: UpdateMultiple answered 2xx counts every target;
    /// a $batch counts each PATCH whose part answered 2xx (parts come back in request order). Can also stand for the
    /// process being killed once the server has applied a write, before its answer reaches the client.
    /// </summary>
    private sealed partial class WriteCounter(DataverseOrg org) : DelegatingHandler(DataverseWebApi.CreateHandler(org))
    {
        private readonly Dictionary<Guid, int> _writes = new();

        public int? CrashAfterWrite { get; set; }

        /// <summary>Answers every write request (UpdateMultiple, $batch) with a request-level 400, not passing it on.</summary>
        public bool RefuseWrites { get; set; }

        public int Writes { get; private set; }

        public int UpdateMultipleRequests { get; private set; }

        public int BatchRequests { get; private set; }

        /// <summary>Requests other than metadata (EntityDefinitions, sdkmessagefilters).</summary>
        public int DataRequests { get; private set; }

        public int WritesOf(Guid id) => _writes.GetValueOrDefault(id);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            if (RefuseWrites && request.Method == HttpMethod.Post && (url.Contains("UpdateMultiple", StringComparison.Ordinal) || url.EndsWith("$batch", StringComparison.Ordinal)))
            {
                return new HttpResponseMessage(System.Net.HttpStatusCode.BadRequest)
                {
                    Content = new StringContent("{\"error\":{\"code\":\"0x80040216\",\"message\":\"simulated outage\"}}", System.Text.Encoding.UTF8, "application/json"),
                };
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (!url.Contains("EntityDefinitions", StringComparison.Ordinal) && !url.Contains("sdkmessagefilters", StringComparison.Ordinal))
            {
                DataRequests++;
            }

            var counted = new List<Guid>();
            if (url.Contains("Microsoft.Dynamics.CRM.UpdateMultiple", StringComparison.Ordinal))
            {
                UpdateMultipleRequests++;
                if (response.IsSuccessStatusCode)
                {
                    counted.AddRange(JsonNode.Parse(body)!["Targets"]!.AsArray().Select(t => t!["opportunityid"]!.GetValue<Guid>()));
                }
            }
            else if (url.EndsWith("$batch", StringComparison.Ordinal))
            {
                BatchRequests++;
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                var patched = PatchLine().Matches(body).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
                var statuses = StatusLine().Matches(answer).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(patched.Count, statuses.Count);
                counted.AddRange(patched.Where((_, i) => statuses[i] is >= 200 and < 300));
            }

            foreach (var id in counted)
            {
                _writes[id] = WritesOf(id) + 1;
            }

            if (request.Method != HttpMethod.Get && (url.Contains("UpdateMultiple", StringComparison.Ordinal) || url.EndsWith("$batch", StringComparison.Ordinal)))
            {
                Writes++;
                if (Writes == CrashAfterWrite)
                {
                    response.Dispose();
                    throw new SimulatedCrashException($"simulated crash with write {Writes} in flight");
                }
            }

            return response;
        }

        [GeneratedRegex(@"PATCH \S*opportunities\(([0-9a-f-]{36})\)")]
        private static partial Regex PatchLine();

        [GeneratedRegex(@"HTTP/1\.1 (\d{3})")]
        private static partial Regex StatusLine();
    }

    /// <summary>Keeps the counter alive across the sessions of a test (each client disposes its handler chain).</summary>
    private sealed class NonDisposing(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
