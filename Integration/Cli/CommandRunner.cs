using Azure.Identity;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// The one boundary that catches: turns what went wrong into a plain message on standard error and the exit
/// code of DESIGN §6. Messages pass through the secret scrubber like all output.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(CliContext context, Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException error)
        {
            return await FailAsync(context, error.Message, ExitCodes.BadInput).ConfigureAwait(false);
        }
        catch (ConnectionFailedException error)
        {
            return await FailAsync(context, error.Message, ExitCodes.ConnectionFailed).ConfigureAwait(false);
        }
        catch (AuthenticationFailedException error)
        {
            return await FailAsync(context, "Sign-in failed: " + error.Message.Split('\n')[0], ExitCodes.ConnectionFailed).ConfigureAwait(false);
        }
        catch (DataverseException error) when (error.Error.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            // 400/404: Dataverse found a problem in what the user gave (an unknown FetchXML column, operator or table, a
            // rule name over the column's length, an unknown named account): bad input, not a failed connection.
            return await FailAsync(context, $"Dataverse refused the input; nothing was written: {error.Error}", ExitCodes.BadInput).ConfigureAwait(false);
        }
        catch (DataverseException error)
        {
            return await FailAsync(context, $"Dataverse answered with an error before anything was written: {error.Error}", ExitCodes.ConnectionFailed).ConfigureAwait(false);
        }
        catch (HttpRequestException error)
        {
            return await FailAsync(context, "The connection to Dataverse failed: " + error.Message, ExitCodes.ConnectionFailed).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(context, "Interrupted. Run the same command again to resume.", ExitCodes.Interrupted).ConfigureAwait(false);
        }
        catch (HttpIOException error)
        {
            // An answer cut off mid-body: the connection, not a file.
            return await FailAsync(context, "The connection to Dataverse failed: " + error.Message, ExitCodes.ConnectionFailed).ConfigureAwait(false);
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            // Paths are checked before the first write (PathCheck); this is what the disk does later (full, removed,
            // permissions changed): one line, never a stack trace.
            return await FailAsync(context, $"A file could not be read or written: {error.Message} Fix the path or the disk and run the same command again; a run that had started resumes from its journal.", ExitCodes.BadInput).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // No stack trace ever reaches a user: anything not foreseen above is one line naming the error's kind.
            return await FailAsync(context, $"Unexpected error ({error.GetType().Name}): {error.Message.Split('\n')[0].Trim()}", ExitCodes.BadInput).ConfigureAwait(false);
        }
        finally
        {
            await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await context.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<int> FailAsync(CliContext context, string message, int code)
    {
        await context.Error.WriteLineAsync($"partnerguard: {message}").ConfigureAwait(false);
        return code;
    }
}
