using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Statements;
using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Integration.Reports;

namespace PartnerGuard.Integration.App;

/// <summary>Shows how many statements are written; the console draws a bar at a terminal.</summary>
internal interface IStatementProgress
{
    Task TrackAsync(int total, Func<IProgress<int>, Task> work);
}

/// <summary>What `statement` wrote: the statements (one per partner, totals only kept) and the files.</summary>
internal sealed record StatementsResult(IReadOnlyList<(StatementPartner Partner, StatementTotals Totals)> Partners, IReadOnlyList<string> Files);

/// <summary>
/// `statement --partner ID|--all`: reads the org once through the audit's reader, computes the audit once, reads the
/// customers partners lost from the run journals (<see cref="JournalHistory"/>), then
/// builds and writes one partner's statement at a time (the statement is dropped once its files are written).
/// </summary>
internal static class WriteStatements
{
    public static async Task<StatementsResult> WriteAsync(
        OrgSnapshot org, Guid? partner, DateOnly? since, string journalFolder, string folder, IStatementProgress progress, Action<string> warn)
    {
        var (lost, journals) = JournalHistory.Read(journalFolder, warn);
        var book = new StatementBook(org, AuditCalculator.Compute(org), since, lost, journals);
        var written = new List<(StatementPartner, StatementTotals)>();
        var files = new List<string>();
        if (partner is { } id)
        {
            var statement = book.For(book.Partner(id));
            files.AddRange(StatementFiles.Write(statement, folder));
            written.Add((statement.Partner, statement.Totals));
            return new StatementsResult(written, files);
        }

        using var index = new StatementFiles.Index(folder);
        await progress.TrackAsync(book.Partners.Count, report =>
        {
            foreach (var load in book.Partners)
            {
                var statement = book.For(load);
                StatementFiles.Write(statement, folder);
                index.Add(statement);
                written.Add((statement.Partner, statement.Totals));
                report.Report(1);
            }

            return Task.CompletedTask;
        }).ConfigureAwait(false);
        files.AddRange(index.Finish(org.Now));
        return new StatementsResult(written, files);
    }

    /// <summary>Reads the org as `audit` does.</summary>
    public static Task<OrgSnapshot> ReadAsync(TransparencySource source, DateTime now, CancellationToken cancellationToken) =>
        source.ReadAsync(now, cancellationToken);
}
