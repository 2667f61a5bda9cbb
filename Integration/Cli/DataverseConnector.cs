using Azure.Identity;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.Connection;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Cli;

/// <summary>Opens the Web API client for a command: resolve the connection, sign in, and prove it with WhoAmI.</summary>
internal static class DataverseConnector
{
    public static async Task<DataverseWebApiClient> ConnectAsync(CliContext context, string? connection, CancellationToken cancellationToken)
    {
        var settings = ConnectionResolver.Resolve(connection, context.Environment);
        Uri url;
        HttpMessageHandler? transport = context.Transport;
        Azure.Core.TokenCredential? credential = null;
        if (settings is null)
        {
            if (context.EmbeddedOrg is null)
            {
                throw new UsageException(
                    $"No Dataverse connection. Pass --connection \"AuthType=ClientSecret;Url=https://…;ClientId=…;ClientSecret=…;TenantId=…\" or set {ConnectionResolver.EnvironmentVariable}.");
            }

            (url, transport) = await context.EmbeddedOrg(cancellationToken).ConfigureAwait(false);
            // The embedded session has already printed the org line (first line of output); say nothing twice.
        }
        else
        {
            context.Scrubber.Add(settings.SecretValues);
            url = settings.Url;
            if (settings.NeedsTenant && settings.TenantId is null)
            {
                settings = settings.WithTenant(await TenantDiscovery.DiscoverAsync(url, transport, cancellationToken).ConfigureAwait(false));
            }

            // The loopback emulator form has no sign-in to replace; its user name is the token.
            credential = context.Credential is not null && settings.AuthKind != AuthKind.Emulator
                ? context.Credential(settings)
                : CredentialFactory.Create(settings, context.CanPrompt, context.Error);
        }

        var dop = new DopHint();
        var http = DataverseHttp.CreateClient(url, context.WebApi, dop, context.Time, credential, transport,
            notice => context.Error.WriteLine($"  retrying in {notice.Delay.TotalSeconds:0.#} s (attempt {notice.Attempt}, {(notice.Status is { } s ? $"HTTP {(int)s}" : notice.Exception)})"));
        var client = new DataverseWebApiClient(http, context.WebApi, dop);
        var where = settings?.ToString() ?? url.ToString();
        try
        {
            var me = await client.WhoAmIAsync(cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Connected to {url.GetLeftPart(UriPartial.Authority)} as user {me.UserId:D} (server parallelism hint: {dop.Latest?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).").ConfigureAwait(false);
            return client;
        }
        catch (CredentialUnavailableException error)
        {
            throw new ConnectionFailedException($"No credential available for {where}: {FirstLine(error.Message)}", error);
        }
        catch (AuthenticationFailedException error)
        {
            throw new ConnectionFailedException($"Sign-in failed for {where}: {FirstLine(error.Message)}", error);
        }
        catch (DataverseException error) when (error.Error.Status is System.Net.HttpStatusCode.Unauthorized && settings?.AuthKind == AuthKind.Emulator)
        {
            // The user named in the connection string is not a user of the emulated org: bad input, not a failed sign-in.
            throw new UsageException($"The emulator at {url.GetLeftPart(UriPartial.Authority)} has no enabled user '{settings.UserName}' (matched by domainname, then fullname). Name an existing user, or leave User out to act as the administrator. ({error.Error})");
        }
        catch (DataverseException error) when (error.Error.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            throw new ConnectionFailedException($"Dataverse refused the credentials of {where} ({error.Error}). Is the application user set up with a security role?", error);
        }
        catch (HttpRequestException error)
        {
            throw new ConnectionFailedException($"Could not reach {url.GetLeftPart(UriPartial.Authority)}: {FirstLine(error.Message)}", error);
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
