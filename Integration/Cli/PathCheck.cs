using PartnerGuard.Integration.Domain;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// The checks every path given on the command line passes before the first write (issue #12 item 6): an input file
/// exists, is a file and can be read; an output folder or file can be created where it is named (no file in the way,
/// no folder where a file goes, a writable folder). Each failure is a <see cref="UsageException"/> (exit 1) naming the
/// option and the path as given; nothing is created by a check.
/// </summary>
internal static class PathCheck
{
    /// <summary>An existing, readable file; returns its full path.</summary>
    /// <param name="label">How the message names it: the option (<c>--plan</c>) or what it is (<c>The rules file</c>).</param>
    public static string InputFile(CliContext context, string label, string given)
    {
        var path = context.Resolve(given);
        if (Directory.Exists(path))
        {
            throw new UsageException($"{label} '{given}' is a folder; give a file.");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{label} '{given}' does not exist ({path}).");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{label} '{given}' cannot be read: {error.Message}");
        }

        return path;
    }

    /// <summary>A folder that exists or can be created, and where files can be written; returns its full path.</summary>
    public static string OutputFolder(CliContext context, string option, string given) => OutputFolderAt(context.Resolve(given), option, given);

    /// <summary>A file that can be written (created or replaced): not a folder, in a folder that can be written.</summary>
    public static string OutputFile(CliContext context, string option, string given)
    {
        var path = context.Resolve(given);
        if (Directory.Exists(path))
        {
            throw new UsageException($"{option} '{given}' is a folder; name the file to write.");
        }

        OutputFolderAt(Path.GetDirectoryName(path)!, option, given);
        return path;
    }

    private static string OutputFolderAt(string folder, string option, string given)
    {
        if (File.Exists(folder))
        {
            throw new UsageException($"{option} '{given}' cannot be created: '{folder}' is a file, not a folder.");
        }

        // The nearest part of the path that exists must be a folder (not a file) that accepts new entries.
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw new UsageException($"{option} '{given}' cannot be created: '{existing}' is a file, not a folder.");
            }

            existing = Path.GetDirectoryName(existing)
                ?? throw new UsageException($"{option} '{given}' cannot be created: no part of '{folder}' exists.");
        }

        try
        {
            // A probe that deletes itself: the only sure test of "can write here" (permissions, read-only mounts, ACLs).
            using var probe = new FileStream(Path.Combine(existing, ".partnerguard-write-check-" + Guid.NewGuid().ToString("N")),
                FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} '{given}' cannot be written: the folder '{existing}' does not accept new files ({error.Message}).");
        }

        return folder;
    }
}
