using System.Globalization;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;

namespace PartnerGuard.Integration.Embedded;

/// <summary>
/// An exclusive lock on the embedded org's folder, so two console processes never load, change and save the same
/// state file over each other. The lock is an open file with no sharing: the operating system releases it when the
/// process ends, even after a crash, so a leftover lock file never blocks a later run.
/// </summary>
/// <remarks>
/// On Linux and macOS .NET maps <see cref="FileShare.None"/> to an exclusive advisory <c>flock</c> per open file,
/// which another open of the same file (in this or another process) cannot take; on Windows the share mode itself
/// refuses the second open. Either way the second opener gets an <see cref="IOException"/> (observed behaviour of
/// FileStream on .NET 10, exercised by EmbeddedOrgTests).
/// </remarks>
internal sealed class OrgLock : IDisposable
{
    private readonly FileStream _file;

    private OrgLock(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Takes the lock or fails at once (no waiting) with a message saying who holds it and what to do.</summary>
    /// <exception cref="ConnectionFailedException">Another process holds the lock.</exception>
    public static OrgLock Acquire(string path, TimeProvider time)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new ConnectionFailedException(
                $"The embedded local org in {System.IO.Path.GetDirectoryName(path)} is in use by another partnerguard process " +
                $"(lock file {path}). Wait for that command to finish (or stop `partnerguard emulator serve`), then run this one again.",
                error);
        }

        // Who holds it, for people looking at the folder; the lock itself is the open handle, not this text.
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"process {System.Environment.ProcessId} since {time.GetUtcNow():O}\n"));
        }

        file.Flush(flushToDisk: false);
        return new OrgLock(file, path);
    }

    public void Dispose() => _file.Dispose();
}
