using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Statements;
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
/// `statement --partner ID|--all`: with the org's shared part and the audit's distribution already counted
/// (<see cref="StatementSource.ReadAsync"/>, one streamed pass) and the customers partners lost read from the run
/// journals (<see cref="JournalHistory"/>), reads one partner's slice of the org at a time, builds its statement,
/// writes its files and drops both before the next, so memory follows the largest partner, not the org.
/// </summary>
internal static class WriteStatements
{
    public static async Task<StatementsResult> WriteAsync(
        StatementSource source, StatementOrg org, Guid? partner, DateOnly? since, string journalFolder, string folder, IStatementProgress progress, Action<string> warn,
        CancellationToken cancellationToken)
    {
        var (lost, journals) = JournalHistory.Read(journalFolder, warn);
        var book = new StatementBook(org.Shared, org.Distribution, since, lost, journals);
        var written = new List<(StatementPartner, StatementTotals)>();
        var files = new List<string>();
        if (partner is { } id)
        {
            var load = book.Find(id) ?? throw StatementBook.NotAPartner(id, await source.ReadAccountAsync(id, cancellationToken).ConfigureAwait(false));
            var statement = book.For(load, await source.ReadSliceAsync(org.Shared, id, book.AccountsInHistory(id), cancellationToken).ConfigureAwait(false));
            files.AddRange(StatementFiles.Write(statement, folder));
            written.Add((statement.Partner, statement.Totals));
            return new StatementsResult(written, files);
        }

        using var index = new StatementFiles.Index(folder);
        await progress.TrackAsync(book.Partners.Count, async report =>
        {
            foreach (var load in book.Partners)
            {
                var slice = await source.ReadSliceAsync(org.Shared, load.PartnerId, book.AccountsInHistory(load.PartnerId), cancellationToken).ConfigureAwait(false);
                var statement = book.For(load, slice);
                StatementFiles.Write(statement, folder);
                index.Add(statement);
                written.Add((statement.Partner, statement.Totals));
                report.Report(1);
            }
        }).ConfigureAwait(false);
        files.AddRange(index.Finish(org.Shared.Now));
        return new StatementsResult(written, files);
    }
}
