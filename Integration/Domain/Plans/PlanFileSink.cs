namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>Where the planner puts each planned row as soon as it is decided.</summary>
internal interface IPlanSink
{
    void Write(PlanRow row);
}

/// <summary>
/// Writes a plan's CSV and JSON side by side while it is being decided, one row at a time, through
/// <see cref="PlanCsvWriter"/> and <see cref="PlanJsonWriter"/> (<see cref="PlanFiles.Write"/> writes a whole plan
/// through it too). Both go to temporary names (FILE.tmp) and are moved into place only by <see cref="Commit"/>, so
/// a reader never sees half a plan and a failed or cancelled planning leaves no plan behind (the temporary files
/// are deleted on dispose).
/// </summary>
internal sealed class PlanFileSink : IPlanSink, IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly string _csvTemporary;
    private readonly string _jsonTemporary;
    private readonly FileStream _csvStream;
    private readonly StreamWriter _csvText;
    private readonly PlanCsvWriter _csv;
    private readonly FileStream _jsonStream;
    private readonly PlanJsonWriter _json;
    private bool _closed;

    public PlanFileSink(string csvPath, PlanHeader header)
    {
        CsvPath = Path.GetFullPath(csvPath);
        JsonPath = Path.GetFullPath(PlanFiles.JsonPathFor(csvPath));
        Directory.CreateDirectory(Path.GetDirectoryName(CsvPath)!);
        _csvTemporary = CsvPath + ".tmp";
        _jsonTemporary = JsonPath + ".tmp";
        _csvStream = new FileStream(_csvTemporary, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
        try
        {
            _csvText = new StreamWriter(_csvStream, PlanFormat.Utf8, BufferSize, leaveOpen: true);
            _csv = new PlanCsvWriter(_csvText, header);
            _jsonStream = new FileStream(_jsonTemporary, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
            _json = new PlanJsonWriter(_jsonStream, header);
        }
        catch
        {
            _csvStream.Dispose();
            File.Delete(_csvTemporary);
            throw;
        }
    }

    public string CsvPath { get; }

    public string JsonPath { get; }

    public int Rows { get; private set; }

    public void Write(PlanRow row)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _csv.Write(row);
        _json.Write(row);
        Rows++;
    }

    /// <summary>Finishes both files, flushes them to disk and moves them into place (CSV first, then JSON).</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _csv.Complete();
        _csvText.Flush();
        _json.Complete();
        _csvStream.Flush(flushToDisk: true);
        _jsonStream.Flush(flushToDisk: true);
        Close();
        File.Move(_csvTemporary, CsvPath, overwrite: true);
        File.Move(_jsonTemporary, JsonPath, overwrite: true);
    }

    /// <summary>Without <see cref="Commit"/>: closes and deletes the temporary files; nothing is moved into place.</summary>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        Close();
        File.Delete(_csvTemporary);
        File.Delete(_jsonTemporary);
    }

    private void Close()
    {
        _closed = true;
        _csv.Dispose();
        _csvText.Dispose();
        _csvStream.Dispose();
        _json.Dispose();
        _jsonStream.Dispose();
    }
}
