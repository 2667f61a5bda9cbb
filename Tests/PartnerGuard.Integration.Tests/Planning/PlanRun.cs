using System.Data.SqlTypes;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Integration.Tests.Planning;

/// <summary>Runs the streaming planner into memory, for tests that look at the whole plan.</summary>
internal static class PlanRun
{
    public static (Plan Plan, PlanSummary Summary) Build(
        IEnumerable<AccountCandidate> accounts, IEnumerable<PartnerCandidate> partners, PlanSettings settings, IDirectSalesCoverage? coverage = null)
    {
        var sink = new ListSink();
        var summary = Into(accounts, partners, settings, sink, coverage);
        var header = PlanBuilder.Header(settings);
        return (new Plan(header.RunId, header.CreatedOn, header.Strategy, header.Parameters, sink.Rows), summary);
    }

    /// <summary>
    /// The planner over an in-memory source: <see cref="PlanBuilder.BuildAsync"/>, the one the console runs, over the
    /// accounts as an asynchronous stream. It completes synchronously (nothing in it waits), so waiting here blocks nothing.
    /// </summary>
    public static PlanSummary Into(
        IEnumerable<AccountCandidate> accounts, IEnumerable<PartnerCandidate> partners, PlanSettings settings, IPlanSink sink, IDirectSalesCoverage? coverage = null) =>
        PlanBuilder.BuildAsync(accounts.ToAsyncEnumerable(), partners, settings, sink, coverage, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The order the planner's source gives: each account once, by id as Dataverse orders uniqueidentifier
    /// (SQL Server's order, which <see cref="SqlGuid"/>.CompareTo implements, starting from the last six bytes and
    /// unlike <see cref="Guid"/>.CompareTo or the text: "Comparing GUID and uniqueidentifier Values",
    /// learn.microsoft.com/dotnet/framework/data/adonet/sql/comparing-guid-and-uniqueidentifier-values).
    /// </summary>
    public static List<AccountCandidate> InServerOrder(IEnumerable<AccountCandidate> accounts) =>
        accounts.DistinctBy(a => a.Id).OrderBy(a => new SqlGuid(a.Id)).ToList();

    public static int Reason(PlanSummary summary, string reason) =>
        summary.UnplannedByReason.Where(u => u.Reason == reason).Select(u => u.Count).SingleOrDefault();

    internal sealed class ListSink : IPlanSink
    {
        public List<PlanRow> Rows { get; } = [];

        public void Write(PlanRow row) => Rows.Add(row);
    }
}
