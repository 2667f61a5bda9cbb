using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PartnerGuard.Integration.Domain.Journal;

/// <summary>
/// Reads a journal file line by line (one buffer, grown only to the longest line), so replaying or undoing a run
/// does not load its journal whole. A torn last line — no newline, or not JSON with nothing but blanks after it (a
/// crash can leave zeros) — ends the file as if never written; damage before the last line stops with its number.
/// Both journals read this way: the run journal (<see cref="RunJournal"/>) and the attach journal of
/// `--attach-open-opportunities`.
/// </summary>
internal static class JournalLines
{
    /// <summary>Every intact record of a run journal, with the file offset just past its line.</summary>
    public static IEnumerable<(JournalRecord Record, long End)> Read(Stream stream, string path) =>
        Read(stream, path, JournalJsonContext.Default.JournalRecord, "journal", "keep it for undo and investigate");

    /// <summary>
    /// Every intact record of type <typeparamref name="T"/>, with the file offset just past its line. Damage is
    /// reported as "The <paramref name="name"/> 'path' is damaged at line N (…)", followed by <paramref name="advice"/>.
    /// </summary>
    public static IEnumerable<(T Record, long End)> Read<T>(Stream stream, string path, JsonTypeInfo<T> type, string name, string advice)
        where T : class
    {
        var buffer = new byte[64 * 1024];
        var start = 0;
        var end = 0;
        long offset = 0; // file offset of buffer[0]
        var lineNumber = 0;
        var eof = false;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline < 0)
            {
                if (eof)
                {
                    yield break; // nothing left, or a torn line whose newline never made it to disk
                }

                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    offset += start;
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = stream.Read(buffer, end, buffer.Length - end);
                end += read;
                eof = read == 0;
                continue;
            }

            lineNumber++;
            T? record;
            try
            {
                record = JsonSerializer.Deserialize(buffer.AsSpan(start, newline - start), type);
            }
            catch (JsonException error)
            {
                if (RestIsBlank(buffer, newline + 1, end, stream))
                {
                    yield break; // torn final line (e.g. zero-filled after a crash): treat it as never written
                }

                throw new JournalException($"The {name} '{path}' is damaged at line {lineNumber} ({error.Message.Split('\n')[0]}). It cannot be resumed safely; {advice}.");
            }

            if (record is null)
            {
                throw new JournalException($"The {name} '{path}' is damaged at line {lineNumber} (empty record).");
            }

            start = newline + 1;
            yield return (record, offset + start);
        }
    }

    private static bool RestIsBlank(byte[] buffer, int from, int end, Stream stream)
    {
        if (!IsBlank(buffer.AsSpan(from, end - from)))
        {
            return false;
        }

        var more = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(more, 0, more.Length)) > 0)
        {
            if (!IsBlank(more.AsSpan(0, read)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not (0 or (byte)'\n' or (byte)'\r' or (byte)' '))
            {
                return false;
            }
        }

        return true;
    }
}
