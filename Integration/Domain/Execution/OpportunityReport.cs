using System.Globalization;
using System.Text;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>
/// `&lt;run&gt;.apply.opportunities.csv`, written row by row as batches finish (formula injection escaped): one row
/// per deal the run attached or tried to, across every session of the run.
/// </summary>
internal sealed class OpportunityReport : IDisposable
{
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    public OpportunityReport(string path)
    {
        _text = new StreamWriter(path, append: false, new UTF8Encoding(false));
        _csv = CsvWriter.Create(_text, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        _csv.WriteHeader(["opportunity_id", "account_id", "partner_id", "outcome", "channel", "channel_reason"]);
    }

    public void Write(OpportunityJournalDeal deal) => _csv.WriteRecord([
        deal.Id.ToString("D", CultureInfo.InvariantCulture),
        deal.Account.ToString("D", CultureInfo.InvariantCulture),
        deal.Target.ToString("D", CultureInfo.InvariantCulture),
        deal.Outcome ?? string.Empty,
        deal.Channel?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        deal.Reason ?? string.Empty,
    ]);

    public void Flush()
    {
        _csv.Flush();
        _text.Flush();
    }

    public void Dispose()
    {
        Flush();
        _csv.Dispose();
        _text.Dispose();
    }
}
