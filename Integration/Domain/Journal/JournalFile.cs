namespace PartnerGuard.Integration.Domain.Journal;

/// <summary>Opening a journal file for appending, shared by the run journal and the attach journal.</summary>
internal static class JournalFile
{
    /// <summary>
    /// Opens (or creates) <paramref name="path"/>, reads what it holds with <paramref name="read"/> (the replay and the
    /// length of the intact part), cuts a torn tail so the next line starts clean, and leaves the stream at the end.
    /// The caller owns the stream and disposes it if its own checks of the replay fail.
    /// </summary>
    public static FileStream OpenForAppend<TReplay>(string path, Func<FileStream, (TReplay Replay, long ValidLength)> read, out TReplay replay)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
        try
        {
            (replay, var validLength) = read(stream);
            if (validLength < stream.Length)
            {
                stream.SetLength(validLength);
            }

            stream.Seek(0, SeekOrigin.End);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
