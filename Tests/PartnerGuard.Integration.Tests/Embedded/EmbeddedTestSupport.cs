using System.Text;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Embedded;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// One seeded org.json shared by the tests of this folder (seeding takes a few seconds): tests that need an existing
/// local org copy it into a folder of their own; tests of first use seed their own.
/// </summary>
public sealed class SeededStateFixture : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pg-seeded-" + Guid.NewGuid().ToString("N"));

    public SeededStateFixture()
    {
        using var org = EmbeddedOrg.Open(EmbeddedOrg.FolderFor(_folder), TimeProvider.System);
        StatePath = org.StatePath;
    }

    /// <summary>A state file created by first use (solution loaded, demo data seeded).</summary>
    public string StatePath { get; }

    /// <summary>Puts a copy of the seeded state under <paramref name="workingDirectory"/>/.partnerguard/ and returns that folder.</summary>
    public string CopyInto(string workingDirectory)
    {
        var folder = EmbeddedOrg.FolderFor(workingDirectory);
        Directory.CreateDirectory(folder);
        File.Copy(StatePath, Path.Combine(folder, EmbeddedOrg.StateFileName));
        return folder;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SeededStateCollection : ICollectionFixture<SeededStateFixture>
{
    public const string Name = "Embedded org (seeded state)";
}

/// <summary>Captured output that completes a task when a line starting with a given text is written.</summary>
internal sealed class SignallingWriter(string awaitedPrefix) : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _line = new();
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Completes when the awaited line has been written.</summary>
    public Task Seen => _seen.Task;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
            if (value == '\n')
            {
                if (_line.ToString().TrimEnd('\r').StartsWith(awaitedPrefix, StringComparison.Ordinal))
                {
                    _seen.TrySetResult();
                }

                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}

internal static class EmbeddedContexts
{
    /// <summary>A console context whose embedded org lives under <paramref name="workingDirectory"/>, with captured output.</summary>
    public static CliContext For(string workingDirectory, TextWriter output, TextWriter error)
    {
        var session = new EmbeddedOrgSession(EmbeddedOrg.FolderFor(workingDirectory), output, TimeProvider.System);
        return new CliContext
        {
            Scrubber = new SecretScrubber(),
            Out = output,
            Error = error,
            Environment = _ => null,
            WorkingDirectory = workingDirectory,
            EmbeddedOrg = session.ConnectAsync,
            Embedded = session,
        };
    }
}
