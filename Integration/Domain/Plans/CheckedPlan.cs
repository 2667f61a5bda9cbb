using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>
/// What one full pass over a plan file established: the file is well formed, each account is planned once, no
/// account is its own partner. Holds no rows: the accounts per partner (bounded by the number of partners) for the
/// confirmation, and the fingerprint the run's journal is tied to.
/// </summary>
internal sealed record CheckedPlan(string Path, PlanHeader Header, int Rows, string Fingerprint, IReadOnlyDictionary<Guid, int> AccountsPerPartner)
{
    public string RunId => Header.RunId;

    /// <summary>
    /// The plan's rows again, one at a time, read afresh from the file. The rows are checked as they come and the
    /// fingerprint recomputed; if the file no longer matches the one that was checked (it was edited meanwhile), the
    /// enumeration throws at the end, after it has yielded every row: the run then reports itself interrupted, and the
    /// journal (tied to the first fingerprint) refuses the edited file on the next try.
    /// </summary>
    public IEnumerable<PlanRow> ReadRows()
    {
        using var reader = PlanReader.Open(Path);
        foreach (var row in reader.ReadRows(checkDuplicates: false))
        {
            yield return row;
        }

        if (reader.Fingerprint != Fingerprint)
        {
            throw new PlanFormatException($"The plan file '{Path}' changed while it was being applied (its fingerprint is no longer the one checked at the start). Run the same command again with the original file.");
        }
    }
}
