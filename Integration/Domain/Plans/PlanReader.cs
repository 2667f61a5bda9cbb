using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>
/// Reads a plan file (.csv or .json) as a stream: the header first, then the rows one at a time, with the same checks
/// and messages as ever (file, line and field named) and the plan's fingerprint (SHA-256 of its JSON form) computed in
/// the same pass. Memory does not grow with the plan's size. The duplicate check of <see cref="Check"/> needs no
/// memory for plans in the server's order of account ids (as `plan` writes them); a file in another order is checked
/// with a dictionary of account id to where it was first seen (about 40 bytes per row, 8 MB at 200,000 rows, dropped
/// when the check ends).
/// <para>
/// About 670 lines on purpose: the two formats' readers (<c>CsvPart</c>, <c>JsonPart</c>) are nested here so that
/// every row check and message is written once for both.
/// </para>
/// </summary>
internal sealed class PlanReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _name;
    private readonly bool _json;
    private readonly PlanFingerprint _fingerprint;
    private readonly CsvPart? _csv;
    private readonly JsonPart? _jsonPart;
    private string? _hash;
    private bool _started;

    private PlanReader(FileStream stream, string name, bool json)
    {
        _stream = stream;
        _name = name;
        _json = json;
        try
        {
            if (json)
            {
                _jsonPart = new JsonPart(stream, name);
                Header = _jsonPart.ReadHeader();
            }
            else
            {
                _csv = new CsvPart(stream, name);
                Header = _csv.Header;
            }

            _fingerprint = new PlanFingerprint(Header);
        }
        catch
        {
            _csv?.Dispose();
            throw;
        }
    }

    public PlanHeader Header { get; }

    /// <summary>The rows read so far.</summary>
    public int RowsRead { get; private set; }

    /// <summary>The plan's fingerprint; available once <see cref="ReadRows"/> has been read to the end.</summary>
    public string Fingerprint => _hash ?? throw new InvalidOperationException("The plan's fingerprint is known only after its last row.");

    /// <summary>Opens a plan file and reads its header; a missing or malformed file throws <see cref="PlanFormatException"/>.</summary>
    public static PlanReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new PlanFormatException($"The plan file '{path}' does not exist.");
        }

        var name = System.IO.Path.GetFileName(path);
        var json = System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => false,
            ".json" => true,
            _ => throw new PlanFormatException($"The plan file '{name}' must end in .csv or .json."),
        };

        // FileShare.Read: nobody may write the plan while it is read (a run reads it twice).
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            return new PlanReader(stream, name, json);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the whole file once and checks everything, duplicates included: the pass `apply` makes before anything
    /// is written. Returns what the run needs to know up front, without the rows.
    /// </summary>
    public static CheckedPlan Check(string path)
    {
        // `plan` lists accounts in the server's order of accountid (SQL Server's uniqueidentifier order, which
        // Dataverse uses), strictly increasing: in such a file no account can repeat, so the check needs no memory.
        // A plan edited out of that order is read again with a map of every id (about 40 bytes per row).
        try
        {
            return Check(path, Duplicates.InServerOrder);
        }
        catch (OutOfServerOrderException)
        {
            return Check(path, Duplicates.Map);
        }
    }

    private static CheckedPlan Check(string path, Duplicates duplicates)
    {
        using var reader = Open(path);
        var partners = new Dictionary<Guid, int>();
        reader._started = true;
        foreach (var row in reader.Rows(duplicates))
        {
            partners[row.NewPartnerId] = partners.GetValueOrDefault(row.NewPartnerId) + 1;
        }

        return new CheckedPlan(System.IO.Path.GetFullPath(path), reader.Header, reader.RowsRead, reader.Fingerprint, partners);
    }

    /// <summary>
    /// The rows, one at a time, each checked (required fields, record ids, owner table, no account its own partner);
    /// with <paramref name="checkDuplicates"/> also that no account is planned twice. Can be read once.
    /// </summary>
    public IEnumerable<PlanRow> ReadRows(bool checkDuplicates)
    {
        if (_started)
        {
            throw new InvalidOperationException("A plan reader reads its rows once; open the file again.");
        }

        _started = true;
        return Rows(checkDuplicates ? Duplicates.Map : Duplicates.None);
    }

    private IEnumerable<PlanRow> Rows(Duplicates duplicates)
    {
        var seen = duplicates == Duplicates.Map ? new Dictionary<Guid, long>() : null;
        System.Data.SqlTypes.SqlGuid? previous = null;
        var rows = _json ? _jsonPart!.ReadRows() : _csv!.ReadRows();
        foreach (var (row, position) in rows)
        {
            var index = RowsRead;
            if (seen is not null)
            {
                if (seen.TryGetValue(row.AccountId, out var first))
                {
                    throw new PlanFormatException($"{Where(index, position)}, field '{PlanColumns.AccountId}': account {PlanFormat.Guid(row.AccountId)} is already planned in {Where((int)first, first)}; a plan moves each account once.");
                }

                seen[row.AccountId] = _json ? index : position;
            }
            else if (duplicates == Duplicates.InServerOrder)
            {
                var id = new System.Data.SqlTypes.SqlGuid(row.AccountId);
                if (previous is { } before && before.CompareTo(id) >= 0)
                {
                    throw new OutOfServerOrderException();
                }

                previous = id;
            }

            if (row.NewPartnerId == row.AccountId)
            {
                throw new PlanFormatException($"{Where(index, position)}, field '{PlanColumns.NewPartnerId}': an account cannot be its own partner.");
            }

            _fingerprint.Add(row);
            RowsRead++;
            yield return row;
        }

        _hash = _fingerprint.Complete();
    }

    /// <summary>How a pass makes sure no account is planned twice.</summary>
    private enum Duplicates
    {
        /// <summary>Not checked (the run's second pass: the check was made before anything was written).</summary>
        None,

        /// <summary>By order: ids must strictly increase in the server's order; any other file is re-read with a map.</summary>
        InServerOrder,

        /// <summary>A map of every id to where it was first seen, so the message names both rows.</summary>
        Map,
    }

    /// <summary>The file is not in the server's order of account ids: check it again with a map.</summary>
    private sealed class OutOfServerOrderException : Exception
    {
    }

    /// <summary>Where a row is, as the messages name it: "plan.csv line 7" or "plan.json, rows[1]".</summary>
    private string Where(int index, long line) => _json ? $"{_name}, rows[{index}]" : $"{_name} line {line}";

    public void Dispose()
    {
        _csv?.Dispose();
        _fingerprint.Dispose();
        _stream.Dispose();
    }

    private static string Required(string? value, string where) =>
        string.IsNullOrWhiteSpace(value) ? throw new PlanFormatException($"{where}: a value is required.") : value.Trim();

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Guid RequiredGuid(string? value, string where)
    {
        var text = (value ?? string.Empty).Trim();
        return Guid.TryParse(text, out var id) && id != Guid.Empty
            ? id
            : throw new PlanFormatException(text.Length == 0 ? $"{where}: a value is required." : $"{where}: '{text}' is not a record id (GUID).");
    }

    private static Guid? OptionalGuid(string? value, string where) =>
        string.IsNullOrWhiteSpace(value) ? null : RequiredGuid(value, where);

    private static string? OwnerTable(string? value, string where) => Optional(value) switch
    {
        null => null,
        "systemuser" => "systemuser",
        "team" => "team",
        var other => throw new PlanFormatException($"{where}: '{other}' is not an owner table; expected systemuser or team."),
    };

    private static DateTimeOffset ParseDate(string? value, string where) =>
        DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new PlanFormatException($"{where}: '{value}' is not a UTC time such as 2026-11-27T08:00:00Z.");

    private static IReadOnlyDictionary<string, string> ParseParameters(string json, string where)
    {
        try
        {
            var values = JsonSerializer.Deserialize(json, PlanJsonContext.Default.DictionaryStringString) ?? [];
            return new SortedDictionary<string, string>(values, StringComparer.Ordinal);
        }
        catch (JsonException error)
        {
            throw new PlanFormatException($"{where}: not a JSON object of text values ({FirstLine(error.Message)}).", error);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static PlanRow Row(Func<string, string?> field, Func<string, string> where) => new(
        RequiredGuid(field(PlanColumns.AccountId), where(PlanColumns.AccountId)),
        Required(field(PlanColumns.AccountName), where(PlanColumns.AccountName)),
        Optional(field(PlanColumns.AccountNumber)),
        Optional(field(PlanColumns.Country)),
        OptionalGuid(field(PlanColumns.CurrentOwnerId), where(PlanColumns.CurrentOwnerId)),
        OwnerTable(field(PlanColumns.CurrentOwnerTable), where(PlanColumns.CurrentOwnerTable)),
        OptionalGuid(field(PlanColumns.PreviousPartnerId), where(PlanColumns.PreviousPartnerId)),
        RequiredGuid(field(PlanColumns.NewPartnerId), where(PlanColumns.NewPartnerId)),
        Required(field(PlanColumns.NewPartnerName), where(PlanColumns.NewPartnerName)),
        Required(field(PlanColumns.Reason), where(PlanColumns.Reason)));

    /// <summary>The CSV form: '# key: value' lines, the column row, one record per account.</summary>
    private sealed class CsvPart : IDisposable
    {
        private readonly string _name;
        private readonly StreamReader _text;
        private readonly CsvReader _csv;
        private readonly bool _endRequired;
        private readonly int? _endRows;

        public CsvPart(FileStream stream, string name)
        {
            _name = name;

            // The '# key: value' lines first (the CSV reader skips them as comments), then the file again from the top.
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            Encoding encoding;
            using (var head = new StreamReader(stream, PlanFormat.Utf8, detectEncodingFromByteOrderMarks: true, 4096, leaveOpen: true))
            {
                while (head.ReadLine() is { } line && line.StartsWith('#'))
                {
                    var text = line[1..].Trim();
                    var colon = text.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        meta[text[..colon].Trim()] = text[(colon + 1)..].Trim();
                    }
                }

                encoding = head.CurrentEncoding;
            }

            string Meta(string key) => meta.TryGetValue(key, out var value) && value.Length > 0
                ? value
                : throw new PlanFormatException($"{name}: the '# {key}: …' line at the top of the plan is missing; write plans with 'partnerguard plan'.");

            var runId = Meta(PlanColumns.RunIdMeta);
            Plan.ValidateRunId(runId, $"{name} line 1");
            var createdOn = ParseDate(Meta(PlanColumns.CreatedOnMeta), $"{name}, '# {PlanColumns.CreatedOnMeta}'");
            var strategy = Meta(PlanColumns.StrategyMeta);
            var parameters = ParseParameters(meta.GetValueOrDefault(PlanColumns.ParametersMeta) ?? "{}", $"{name}, '# {PlanColumns.ParametersMeta}'");
            Header = new PlanHeader(runId, createdOn, strategy, parameters);
            if (meta.TryGetValue(PlanColumns.FormatMeta, out var format))
            {
                if (format != PlanColumns.Format)
                {
                    throw new PlanFormatException($"{name}: the plan's format is '{format}'; this build reads '{PlanColumns.Format}' (and older plans without a '# {PlanColumns.FormatMeta}' line).");
                }

                _endRequired = true;
                _endRows = EndRows(stream, encoding);
            }

            stream.Seek(0, SeekOrigin.Begin);
            _text = new StreamReader(stream, PlanFormat.Utf8, detectEncodingFromByteOrderMarks: true, 64 * 1024, leaveOpen: true);
            var options = StrictCsv.ReaderOptions();
            _csv = CsvReader.Create(_text, options, leaveOpen: true);
            Guard(() =>
            {
                _csv.ReadHeader();
                var header = _csv.Headers.ToArray();
                if (header.Length == 0)
                {
                    throw new PlanFormatException($"{name}: the plan has no header row.");
                }

                foreach (var column in PlanColumns.All)
                {
                    if (!header.Contains(column, StringComparer.Ordinal))
                    {
                        throw new PlanFormatException($"{name}: the header row has no column '{column}'. Expected: {string.Join(",", PlanColumns.All)}.");
                    }
                }

                return true;
            });
        }

        public PlanHeader Header { get; }

        public IEnumerable<(PlanRow Row, long Position)> ReadRows()
        {
            var count = 0;
            while (Guard(_csv.Read))
            {
                var line = _csv.LineNumber;
                var row = Row(column => _csv.GetString(column), column => $"{_name} line {line}, field '{column}'");
                count++;
                yield return (row, line);
            }

            if (_endRequired && _endRows is null)
            {
                throw new PlanFormatException($"{_name}: the plan does not end with its '# {PlanColumns.EndMeta}: N rows' line, so the file was cut short (or that line was removed); nothing was written. Use the whole plan, or write it again with 'partnerguard plan'.");
            }

            if (_endRequired && _endRows != count)
            {
                throw new PlanFormatException($"{_name}: the plan's last line says {_endRows} rows but the file holds {count}; it was cut short or rows were removed or added. Nothing was written. If rows were edited out on purpose, set the '# {PlanColumns.EndMeta}: N rows' line to the new count.");
            }
        }

        /// <summary>The N of the file's last non-blank line when it reads '# end: N rows' (commas a spreadsheet adds are ignored); else null.</summary>
        private static int? EndRows(FileStream stream, Encoding encoding)
        {
            var width = encoding is UnicodeEncoding ? 2 : encoding is UTF32Encoding ? 4 : 1;
            var start = Math.Max(0, stream.Length - 4096);
            start -= start % width;
            stream.Seek(start, SeekOrigin.Begin);
            var bytes = new byte[stream.Length - start];
            stream.ReadExactly(bytes);
            var tail = encoding.GetString(bytes);
            var last = tail.Split('\n').Select(l => l.Trim().TrimEnd(',').Trim()).LastOrDefault(l => l.Length > 0);
            if (last is null || !last.StartsWith('#'))
            {
                return null;
            }

            var text = last[1..].Trim();
            var prefix = PlanColumns.EndMeta + ":";
            if (!text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return null;
            }

            var words = text[prefix.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words is [var number, "rows" or "row"] && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : null;
        }

        public void Dispose()
        {
            _csv.Dispose();
            _text.Dispose();
        }

        private T Guard<T>(Func<T> read)
        {
            try
            {
                return read();
            }
            catch (CsvFormatException error)
            {
                var line = error.LineNumber > 0 ? $" line {error.LineNumber}" : string.Empty;
                throw new PlanFormatException($"{_name}{line}: the CSV is malformed ({FirstLine(error.Message)}).", error);
            }
        }
    }

    /// <summary>
    /// The JSON form, read token by token with <see cref="Utf8JsonReader"/> over a buffer refilled from the file (the
    /// buffer grows only to hold the longest single token). Unknown properties are errors, as they usually are typos.
    /// </summary>
    private sealed class JsonPart(FileStream stream, string name)
    {
        private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow };

        private byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        private bool _final;
        private JsonReaderState _state = new(Options);
        private long _lineBase = 1; // line of _buffer[_start]
        private JsonTokenType _token;
        private string? _text;
        private string _path = "$";

        public PlanHeader ReadHeader()
        {
            SkipBom();
            Expect(JsonTokenType.StartObject, "the file holds no plan");
            string? runId = null, createdOn = null, strategy = null;
            IReadOnlyDictionary<string, string> parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
            while (true)
            {
                Next("$");
                if (_token == JsonTokenType.EndObject)
                {
                    throw Missing(["rows", .. new[] { (PlanColumns.RunIdMeta, runId), (PlanColumns.CreatedOnMeta, createdOn), (PlanColumns.StrategyMeta, strategy) }.Where(p => p.Item2 is null).Select(p => p.Item1)]);
                }

                var property = _text!;
                var path = "$." + property;
                switch (property)
                {
                    case PlanColumns.RunIdMeta:
                        runId = StringValue(path, nullable: false);
                        break;
                    case PlanColumns.CreatedOnMeta:
                        createdOn = StringValue(path, nullable: false);
                        break;
                    case PlanColumns.StrategyMeta:
                        strategy = StringValue(path, nullable: false);
                        break;
                    case PlanColumns.ParametersMeta:
                        parameters = ReadParameters(path);
                        break;
                    case "rows":
                        var missing = new[] { (PlanColumns.RunIdMeta, runId), (PlanColumns.CreatedOnMeta, createdOn), (PlanColumns.StrategyMeta, strategy) }.Where(p => p.Item2 is null).Select(p => p.Item1).ToList();
                        if (missing.Count > 0)
                        {
                            throw Missing(missing);
                        }

                        Next(path);
                        if (_token != JsonTokenType.StartArray)
                        {
                            throw Error(path, "expected an array of rows.");
                        }

                        Plan.ValidateRunId(runId!, $"{name}, field '$.{PlanColumns.RunIdMeta}'");
                        var created = ParseDate(createdOn, $"{name}, field '$.{PlanColumns.CreatedOnMeta}'");
                        return new PlanHeader(runId!, created, Required(strategy, $"{name}, field '$.{PlanColumns.StrategyMeta}'"), parameters);
                    default:
                        throw Error(path, $"The JSON property '{property}' could not be mapped to any plan field (the header's fields come before 'rows').");
                }
            }
        }

        public IEnumerable<(PlanRow Row, long Position)> ReadRows()
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var index = 0; ; index++)
            {
                var rowPath = $"$.rows[{index}]";
                Next(rowPath);
                if (_token == JsonTokenType.EndArray)
                {
                    break;
                }

                if (_token != JsonTokenType.StartObject)
                {
                    throw Error(rowPath, "expected a row object.");
                }

                values.Clear();
                while (true)
                {
                    Next(rowPath);
                    if (_token == JsonTokenType.EndObject)
                    {
                        break;
                    }

                    var property = _text!;
                    var path = $"{rowPath}.{property}";
                    if (!PlanColumns.All.Contains(property, StringComparer.Ordinal))
                    {
                        throw Error(path, $"The JSON property '{property}' could not be mapped to any plan field.");
                    }

                    values[property] = StringValue(path, nullable: true);
                }

                var at = index;
                var row = Row(column => values.GetValueOrDefault(column), column => $"{name}, field '$.rows[{at}].{column}'");
                yield return (row, index);
            }

            Next("$");
            if (_token != JsonTokenType.EndObject)
            {
                throw Error("$", "'rows' must be the last field of the plan.");
            }

            if (NextOrEnd("$"))
            {
                throw Error("$", "the plan continues after its closing brace.");
            }
        }

        private IReadOnlyDictionary<string, string> ReadParameters(string path)
        {
            Next(path);
            if (_token == JsonTokenType.Null)
            {
                return new SortedDictionary<string, string>(StringComparer.Ordinal);
            }

            if (_token != JsonTokenType.StartObject)
            {
                throw Error(path, "expected an object of text values.");
            }

            var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
            while (true)
            {
                Next(path);
                if (_token == JsonTokenType.EndObject)
                {
                    return values;
                }

                var key = _text!;
                values[key] = StringValue($"{path}.{key}", nullable: false)!;
            }
        }

        private string? StringValue(string path, bool nullable)
        {
            Next(path);
            return _token switch
            {
                JsonTokenType.String => _text,
                JsonTokenType.Null when nullable => null,
                _ => throw Error(path, $"expected a text value, not {_token}."),
            };
        }

        private void Expect(JsonTokenType token, string otherwise)
        {
            if (!NextOrEnd("$") || _token != token)
            {
                throw new PlanFormatException($"{name}: {otherwise}.");
            }
        }

        private void Next(string path)
        {
            if (!NextOrEnd(path))
            {
                throw Error(path, "the file ends before the plan does.");
            }
        }

        /// <summary>Reads the next token (refilling the buffer as needed); false at the end of the file.</summary>
        private bool NextOrEnd(string path)
        {
            _path = path;
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
                bool read;
                try
                {
                    read = reader.Read();
                }
                catch (JsonException error)
                {
                    var line = (error.LineNumber ?? 0) + 1; // the reader state carries the line count across buffers
                    throw new PlanFormatException($"{name} line {line}, field '{_path}': {FirstLine(error.Message)}", error);
                }

                if (read)
                {
                    _token = reader.TokenType;
                    _text = reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName ? reader.GetString() : null;
                    var consumed = (int)reader.BytesConsumed;
                    _lineBase += _buffer.AsSpan(_start, consumed).Count((byte)'\n');
                    _start += consumed;
                    _state = reader.CurrentState;
                    return true;
                }

                if (_final)
                {
                    return false;
                }

                Refill();
            }
        }

        private void Refill()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2); // one token longer than the buffer
            }

            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            _end += read;
            _final = read == 0;
        }

        private void SkipBom()
        {
            Refill();
            if (_end - _start >= 3 && _buffer.AsSpan(_start, 3).SequenceEqual(Encoding.UTF8.Preamble))
            {
                _start += 3;
            }
        }

        private PlanFormatException Error(string path, string message) =>
            new($"{name} line {_lineBase}, field '{path}': {message}");

        private PlanFormatException Missing(IEnumerable<string> fields) =>
            new($"{name}: the plan is missing the required field(s) {string.Join(", ", fields.Select(f => "'" + f + "'"))}.");
    }
}
