using System.Globalization;
using CsvHelper;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Integration.Domain.Planning;

/// <summary>
/// The mapping strategy's input: a CSV with a partner_id column and either account_id or account_number.
/// Malformed files are rejected with the line and field named.
/// </summary>
internal sealed class MappingTable
{
    public const string AccountIdColumn = "account_id";
    public const string AccountNumberColumn = "account_number";
    public const string PartnerIdColumn = "partner_id";

    private readonly Dictionary<Guid, (Guid Partner, long Line)> _byId = [];
    private readonly Dictionary<string, (Guid Partner, long Line)> _byNumber = new(StringComparer.OrdinalIgnoreCase);

    public string FileName { get; private init; } = "mapping";

    /// <summary>True when rows are keyed by account number rather than account id.</summary>
    public bool ByAccountNumber { get; private init; }

    public int Count => _byId.Count + _byNumber.Count;

    /// <summary>The partner the file names for the account, and the line that names it.</summary>
    public (Guid Partner, long Line)? Find(Guid accountId, string? accountNumber)
    {
        if (_byId.TryGetValue(accountId, out var byId))
        {
            return byId;
        }

        return accountNumber is not null && _byNumber.TryGetValue(accountNumber.Trim(), out var byNumber) ? byNumber : null;
    }

    public IEnumerable<(Guid Partner, long Line)> Entries => _byId.Values.Concat(_byNumber.Values);

    /// <summary>Every row of the file (line, the account as the file names it, partner), in line order.</summary>
    public IEnumerable<MappingRow> Rows => _byId.Select(e => new MappingRow(e.Value.Line, e.Key.ToString("D"), e.Value.Partner))
        .Concat(_byNumber.Select(e => new MappingRow(e.Value.Line, e.Key, e.Value.Partner)))
        .OrderBy(r => r.Line);

    public static MappingTable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The mapping file '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static MappingTable Parse(string text, string name)
    {
        var options = StrictCsv.ReaderOptions();
        using var csv = CsvReader.Create(new StringReader(text), options, leaveOpen: false);
        try
        {
            csv.ReadHeader();
            var header = csv.Headers.ToArray();
            var byNumber = !header.Contains(AccountIdColumn, StringComparer.Ordinal) && header.Contains(AccountNumberColumn, StringComparer.Ordinal);
            if (!byNumber && !header.Contains(AccountIdColumn, StringComparer.Ordinal))
            {
                throw new UsageException($"{name}: the header row needs a column '{AccountIdColumn}' or '{AccountNumberColumn}'.");
            }

            if (!header.Contains(PartnerIdColumn, StringComparer.Ordinal))
            {
                throw new UsageException($"{name}: the header row needs a column '{PartnerIdColumn}'.");
            }

            var table = new MappingTable { FileName = name, ByAccountNumber = byNumber };
            while (csv.Read())
            {
                var line = csv.LineNumber;
                var partnerText = (csv.GetString(PartnerIdColumn) ?? string.Empty).Trim();
                if (!Guid.TryParse(partnerText, out var partner) || partner == Guid.Empty)
                {
                    throw new UsageException($"{name} line {line}, field '{PartnerIdColumn}': '{partnerText}' is not a record id (GUID).");
                }

                if (byNumber)
                {
                    var number = (csv.GetString(AccountNumberColumn) ?? string.Empty).Trim();
                    if (number.Length == 0)
                    {
                        throw new UsageException($"{name} line {line}, field '{AccountNumberColumn}': a value is required.");
                    }

                    if (table._byNumber.TryGetValue(number, out var earlier))
                    {
                        throw new UsageException($"{name} line {line}, field '{AccountNumberColumn}': account number '{number}' is already mapped on line {earlier.Line}.");
                    }

                    table._byNumber[number] = (partner, line);
                }
                else
                {
                    var idText = (csv.GetString(AccountIdColumn) ?? string.Empty).Trim();
                    if (!Guid.TryParse(idText, out var id) || id == Guid.Empty)
                    {
                        throw new UsageException($"{name} line {line}, field '{AccountIdColumn}': '{idText}' is not a record id (GUID).");
                    }

                    if (table._byId.TryGetValue(id, out var earlier))
                    {
                        throw new UsageException($"{name} line {line}, field '{AccountIdColumn}': account {id:D} is already mapped on line {earlier.Line}.");
                    }

                    table._byId[id] = (partner, line);
                }
            }

            return table;
        }
        catch (CsvFormatException error)
        {
            var line = error.LineNumber > 0 ? $" line {error.LineNumber}" : string.Empty;
            throw new UsageException($"{name}{line}: the CSV is malformed ({error.Message.Split('\n')[0].Trim()}).", error);
        }
    }
}

/// <summary>One row of a mapping file: its line, the account as the file names it (id or number), and the partner.</summary>
internal sealed record MappingRow(long Line, string Account, Guid Partner);
