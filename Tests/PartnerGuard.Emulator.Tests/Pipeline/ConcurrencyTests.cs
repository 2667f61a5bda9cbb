using System.Collections.Concurrent;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Tests.Pipeline;

/// <summary>Runs the hook registered under its configuration string (one per test), so a test can pause a plugin mid-operation.</summary>
public sealed class HookPlugin : IPlugin
{
    public static readonly ConcurrentDictionary<string, Action<IServiceProvider>> Hooks = new();
    private readonly string _key;

    public HookPlugin(string unsecure) => _key = unsecure;

    public void Execute(IServiceProvider serviceProvider) => Hooks[_key](serviceProvider);
}

/// <summary>
/// The org under concurrent callers (Emulator/README.md, "Concurrency"): reads without plugin steps run in parallel;
/// a write runs alone with its whole pipeline, so, as on the platform, an operation's writes (its plugins' included)
/// commit or roll back together and no reader sees half an operation; plugins' nested calls on the running thread
/// still work. The tests order threads with events, barriers and the lock's own waiting counts, never with sleeps.
/// </summary>
public sealed class ConcurrencyTests : IDisposable
{
    // Only a guard against a hung test: every wait below is released by the test itself long before this.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);
    private readonly string _hook = Guid.NewGuid().ToString("N");

    public void Dispose() => HookPlugin.Hooks.TryRemove(_hook, out _);

    private static Task Run(Action action) => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task<T> Run<T>(Func<T> action) => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void WaitUntil(Func<bool> condition) => Assert.True(SpinWait.SpinUntil(condition, Guard), "the other thread never reached the lock");

    private static void Wait(WaitHandle handle) => Assert.True(handle.WaitOne(Guard), "the other thread never reached its checkpoint");

    private PluginStep HookStep(string message, string? table, PipelineStage stage)
        => new(typeof(HookPlugin), message, table, stage) { UnsecureConfiguration = _hook };

    /// <summary>
    /// Registers a post-operation step on the Update of <paramref name="account"/> that makes its nested writes, sets
    /// <paramref name="inside"/>, waits for <paramref name="release"/> while the operation holds the lock, and then
    /// either returns or, with <paramref name="refuse"/>, fails the operation.
    /// </summary>
    private void PauseInUpdateOf(DataverseOrg org, Guid account, EventWaitHandle inside, WaitHandle release, Action<IOrganizationService> nestedWrites, string? refuse = null)
    {
        HookPlugin.Hooks[_hook] = provider =>
        {
            var context = (IPluginExecutionContext)provider.GetService(typeof(IPluginExecutionContext))!;
            if (context.PrimaryEntityId != account)
            {
                return;
            }

            nestedWrites(((IOrganizationServiceFactory)provider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null));
            inside.Set();
            Wait(release);
            if (refuse is not null)
            {
                throw new InvalidPluginExecutionException(refuse);
            }
        };
        org.RegisterStep(HookStep("Update", "account", PipelineStage.PostOperation));
    }

    private static QueryExpression AllAccounts()
    {
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "numberofemployees") };
        query.AddOrder("name", OrderType.Ascending);
        return query;
    }

    // Two reads meet at a barrier inside the org's lock: if reads were serialised, the first would hold the lock at
    // the barrier and the second could never enter, so the barrier would never open.
    [Fact]
    public async Task Reads_RunInParallel()
    {
        var org = DataverseOrg.Create();
        org.Seed(Enumerable.Range(0, 10).Select(i => new Entity("account") { ["name"] = $"A{i}" }));
        using var barrier = new Barrier(2);
        var met = new ConcurrentBag<bool>();
        org.ParallelReadProbe = _ => met.Add(barrier.SignalAndWait(Guard));

        var readers = Enumerable.Range(0, 2).Select(_ => Run(() => Assert.Equal(10, org.GetService().RetrieveMultiple(AllAccounts()).Entities.Count))).ToArray();
        await Task.WhenAll(readers).WaitAsync(Guard);

        Assert.Equal(new[] { true, true }, met.ToArray());
    }

    // A reader that arrives while an operation is half done (its plugin has written a second row and is paused)
    // waits, and then sees the whole operation: both rows changed, never one.
    [Fact]
    public async Task Reader_DuringWrite_SeesTheWholeOperation()
    {
        var org = DataverseOrg.Create();
        var a = org.Seed(new Entity("account") { ["name"] = "A", ["numberofemployees"] = 10 });
        var b = org.Seed(new Entity("account") { ["name"] = "B", ["numberofemployees"] = 10 });
        using var inside = new ManualResetEvent(false);
        using var release = new ManualResetEvent(false);
        PauseInUpdateOf(org, a, inside, release, service => service.Update(new Entity("account", b) { ["numberofemployees"] = 9 }));
        var service = org.GetService();

        var writer = Run(() => service.Update(new Entity("account", a) { ["numberofemployees"] = 11 }));
        Wait(inside);
        var reader = Run(() => service.RetrieveMultiple(AllAccounts()));
        WaitUntil(() => org.Gate.WaitingReaders == 1);
        release.Set();
        await writer.WaitAsync(Guard);

        var rows = (await reader.WaitAsync(Guard)).Entities.Select(e => e.GetAttributeValue<int>("numberofemployees")).ToArray();
        Assert.Equal(new[] { 11, 9 }, rows);
    }

    // The same, but the plugin fails after its nested write: the operation rolls back, and the waiting reader sees
    // the rows as they were, neither the main change nor the plugin's nested ones.
    [Fact]
    public async Task Reader_DuringWriteThatRollsBack_SeesNoneOfIt()
    {
        var org = DataverseOrg.Create();
        var a = org.Seed(new Entity("account") { ["name"] = "A", ["numberofemployees"] = 10 });
        var b = org.Seed(new Entity("account") { ["name"] = "B", ["numberofemployees"] = 10 });
        using var inside = new ManualResetEvent(false);
        using var release = new ManualResetEvent(false);
        PauseInUpdateOf(
            org,
            a,
            inside,
            release,
            service =>
            {
                service.Update(new Entity("account", b) { ["numberofemployees"] = 9 });
                service.Create(new Entity("contact") { ["lastname"] = "Written by the plugin" });
            },
            refuse: "The transfer is refused.");
        var service = org.GetService();

        var writer = Run(() => service.Update(new Entity("account", a) { ["numberofemployees"] = 11 }));
        Wait(inside);
        var reader = Run(() => (Accounts: service.RetrieveMultiple(AllAccounts()), Contacts: org.Count("contact")));
        WaitUntil(() => org.Gate.WaitingReaders == 1);
        release.Set();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => writer.WaitAsync(Guard));
        Assert.Contains("The transfer is refused.", failure.Message, StringComparison.Ordinal);
        var (accounts, contacts) = await reader.WaitAsync(Guard);
        Assert.Equal(new[] { 10, 10 }, accounts.Entities.Select(e => e.GetAttributeValue<int>("numberofemployees")).ToArray());
        Assert.Equal(0, contacts);
    }

    // A write waits for the reads in progress; a read that arrives while the write is waiting queues behind it (so a
    // stream of reads cannot starve writes) and then sees the write.
    [Fact]
    public async Task Writer_WaitsForReaders_AndLaterReadersWaitForTheWriter()
    {
        var org = DataverseOrg.Create();
        var a = org.Seed(new Entity("account") { ["name"] = "A", ["numberofemployees"] = 1 });
        using var inside = new ManualResetEvent(false);
        using var release = new ManualResetEvent(false);
        var calls = 0;
        org.ParallelReadProbe = _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                inside.Set();
                Wait(release);
            }
        };
        var service = org.GetService();

        var first = Run(() => service.RetrieveMultiple(AllAccounts()));
        Wait(inside);
        var writer = Run(() => service.Update(new Entity("account", a) { ["numberofemployees"] = 2 }));
        WaitUntil(() => org.Gate.WaitingWriters == 1);
        var second = Run(() => service.RetrieveMultiple(AllAccounts()));
        WaitUntil(() => org.Gate.WaitingReaders == 1);
        release.Set();
        await writer.WaitAsync(Guard);

        Assert.Equal(1, (await first.WaitAsync(Guard)).Entities.Single().GetAttributeValue<int>("numberofemployees"));
        Assert.Equal(2, (await second.WaitAsync(Guard)).Entities.Single().GetAttributeValue<int>("numberofemployees"));
    }

    // Plugins call the org on the thread that runs them, inside the operation's exclusive lock: a nested read sees
    // the operation's own uncommitted write, and nested writes join the operation.
    [Fact]
    public void NestedCalls_FromAPlugin_ReadTheirOwnWritesAndJoinTheOperation()
    {
        var org = DataverseOrg.Create();
        var a = org.Seed(new Entity("account") { ["name"] = "A" });
        var seen = new List<string>();
        HookPlugin.Hooks[_hook] = provider =>
        {
            var service = ((IOrganizationServiceFactory)provider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null);
            var contact = service.Create(new Entity("contact") { ["lastname"] = "Nested" });
            seen.Add(service.Retrieve("contact", contact, new ColumnSet("lastname")).GetAttributeValue<string>("lastname"));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition("accountid", ConditionOperator.Equal, a);
            seen.Add(service.RetrieveMultiple(query).Entities.Single().GetAttributeValue<string>("name"));
        };
        org.RegisterStep(HookStep("Update", "account", PipelineStage.PostOperation));

        org.GetService().Update(new Entity("account", a) { ["name"] = "A renamed" });

        Assert.Equal(new[] { "Nested", "A renamed" }, seen);
        Assert.Equal(1, org.Count("contact"));
    }

    // A read that a plugin step sees runs as a writer (its plugins may write, and their nested calls need the
    // exclusive lock): a RetrieveMultiple step that creates a row works, and the read does not take the parallel path.
    [Fact]
    public void Read_WithAStepOnIt_RunsAsAWriter()
    {
        var org = DataverseOrg.Create();
        org.Seed(new Entity("account") { ["name"] = "A" });
        var parallel = 0;
        org.ParallelReadProbe = _ => Interlocked.Increment(ref parallel);
        HookPlugin.Hooks[_hook] = provider =>
        {
            var service = ((IOrganizationServiceFactory)provider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null);
            service.Create(new Entity("contact") { ["lastname"] = "Audit of a read" });
        };
        org.RegisterStep(HookStep("RetrieveMultiple", "account", PipelineStage.PostOperation));

        Assert.Single(org.GetService().RetrieveMultiple(AllAccounts()).Entities);
        Assert.Equal(1, org.Count("contact"));
        Assert.Equal(0, parallel);

        // A read of another table, which the step does not see, still runs in parallel mode.
        org.GetService().RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") });
        Assert.Equal(1, parallel);
    }

    // Many writers and readers at once: each write moves one unit from A to B through a plugin's nested reads and
    // updates, so A + B is constant after every operation; a reader that saw half an operation would see another
    // sum, and writers that overlapped would lose units.
    [Fact]
    public async Task ManyReadersAndWriters_NeverSeeHalfAnOperation()
    {
        var org = DataverseOrg.Create();
        var a = org.Seed(new Entity("account") { ["name"] = "A", ["numberofemployees"] = 1000 });
        var b = org.Seed(new Entity("account") { ["name"] = "B", ["numberofemployees"] = 0 });
        HookPlugin.Hooks[_hook] = provider =>
        {
            var context = (IPluginExecutionContext)provider.GetService(typeof(IPluginExecutionContext))!;
            if (context.Depth > 1)
            {
                return;
            }

            var service = ((IOrganizationServiceFactory)provider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null);
            int Read(Guid id) => service.Retrieve("account", id, new ColumnSet("numberofemployees")).GetAttributeValue<int>("numberofemployees");
            service.Update(new Entity("account", a) { ["numberofemployees"] = Read(a) - 1 });
            service.Update(new Entity("account", b) { ["numberofemployees"] = Read(b) + 1 });
        };
        org.RegisterStep(HookStep("Update", "account", PipelineStage.PostOperation));
        const int writes = 100;
        var sums = new ConcurrentBag<int>();

        var writers = Enumerable.Range(0, 3).Select(_ => Run(() =>
        {
            var service = org.GetService();
            for (var i = 0; i < writes; i++)
            {
                service.Update(new Entity("account", a) { ["description"] = "transfer" });
            }
        })).ToArray();
        var readers = Enumerable.Range(0, 3).Select(_ => Run(() =>
        {
            var service = org.GetService();
            do
            {
                sums.Add(service.RetrieveMultiple(AllAccounts()).Entities.Sum(e => e.GetAttributeValue<int>("numberofemployees")));
            }
            while (!writers.All(w => w.IsCompleted));
        })).ToArray();
        await Task.WhenAll(writers.Concat(readers)).WaitAsync(Guard);

        Assert.NotEmpty(sums);
        Assert.All(sums, sum => Assert.Equal(1000, sum));
        var final = org.GetService().RetrieveMultiple(AllAccounts()).Entities.Select(e => e.GetAttributeValue<int>("numberofemployees")).ToArray();
        Assert.Equal(new[] { 1000 - (3 * writes), 3 * writes }, final);
    }
}
