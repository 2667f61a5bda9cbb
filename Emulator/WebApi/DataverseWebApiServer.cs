using System.Globalization;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

using PartnerGuard.Emulator.Security;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// The Dataverse Web API over an emulated org, as one request → response function. Both hosts (the in-memory
/// <see cref="HttpMessageHandler"/> and the Kestrel loopback server) adapt HTTP to <see cref="HandleAsync"/>.
/// </summary>
/// <remarks>
/// Per request: the caller is resolved (bearer token → systemuser, else the administrator), service protection
/// admits or throttles it (429 + Retry-After), injected faults and latency apply, then the operation runs
/// against the org. Errors never escape: every failure is answered in Dataverse's error shape.
/// </remarks>
public sealed class DataverseWebApiServer
{
    private readonly DataverseOrg _org;
    private readonly ServiceProtection _protection;
    private readonly FaultInjector _faults;
    private readonly WebApiDispatcher _dispatcher;
    private readonly object _modelGate = new();
    private WebApiModel? _model;
    private int _modelFingerprint;

    /// <summary>Creates the protocol over an org.</summary>
    public DataverseWebApiServer(DataverseOrg org, DataverseWebApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(org);
        _org = org;
        Options = options ?? new DataverseWebApiOptions();
        _protection = new ServiceProtection(Options.ServiceProtection, Options.Time);
        _faults = new FaultInjector(Options.Faults);
        _dispatcher = new WebApiDispatcher(org);
    }

    /// <summary>The options in force.</summary>
    public DataverseWebApiOptions Options { get; }

    /// <summary>The org served.</summary>
    public DataverseOrg Org => _org;

    internal WebApiModel CurrentModel()
    {
        lock (_modelGate)
        {
            var fingerprint = WebApiModel.Fingerprint(_org.Metadata);
            if (_model is null || fingerprint != _modelFingerprint)
            {
                _model = WebApiModel.Build(_org.Metadata);
                _modelFingerprint = fingerprint;
            }

            return _model;
        }
    }

    /// <summary>Answers one HTTP request.</summary>
    public async Task<WebApiResponse> HandleAsync(WebApiRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        WebApiResponse response;
        Guid? user = null;
        try
        {
            var (root, relative) = Locate(request.Uri);
            var context = Authenticate(request, root);
            user = context.AuthenticatedUserId;
            if (_protection.TryEnter(context.AuthenticatedUserId) is { } throttle)
            {
                response = WebApiErrorWriter.Write(new WebApiException(429, WebApiException.Hex(throttle.ErrorCode), throttle.Message), null)
                    .With("Retry-After", ((long)throttle.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                var started = Options.Time.GetTimestamp();
                try
                {
                    response = await RunAsync(request, context, relative, cancellationToken).ConfigureAwait(false);
                    if (Options.Faults.OperationLatency > TimeSpan.Zero)
                    {
                        await Task.Delay(Options.Faults.OperationLatency * Math.Max(1, context.Operations), Options.Time, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    var elapsed = Options.Time.GetElapsedTime(started);
                    _protection.Exit(context.AuthenticatedUserId, elapsed + Options.ServiceProtection.ExecutionTimePerOperation * Math.Max(1, context.Operations));
                }
            }
        }
        catch (WebApiException ex)
        {
            response = WebApiErrorWriter.Write(ex, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never crash the host: an unexpected failure is a 500 in Dataverse's error shape.
            response = WebApiErrorWriter.Write(new WebApiException(500, "0x80040216", $"An unexpected error occurred: {ex.GetType().Name}: {ex.Message}"), null);
        }

        response.With("OData-Version", "4.0");
        response.With("x-ms-dop-hint", Options.DopHint.ToString(CultureInfo.InvariantCulture));
        response.With("REQ_ID", Guid.NewGuid().ToString("D"));
        if (user is Guid id && Options.ServiceProtection.Enabled)
        {
            var (requests, time) = _protection.Remaining(id);
            response.With("x-ms-ratelimit-burst-remaining-xrm-requests", requests.ToString(CultureInfo.InvariantCulture));
            response.With("x-ms-ratelimit-time-remaining-xrm-requests", Math.Max(0, time.TotalMilliseconds).ToString("0.00", CultureInfo.InvariantCulture));
        }

        return response;
    }

    private async Task<WebApiResponse> RunAsync(WebApiRequest request, CallContext context, string relative, CancellationToken cancellationToken)
    {
        switch (_faults.Next())
        {
            case FaultInjector.Fault.Transient:
                return WebApiErrorWriter.Write(new WebApiException(503, WebApiException.ODataCode,
                    "The service is temporarily unavailable (a transient fault injected by the PartnerGuard emulator). Retry the request."), null);
            case FaultInjector.Fault.Timeout:
                if (Options.Faults.TimeoutDelay > TimeSpan.Zero)
                {
                    await Task.Delay(Options.Faults.TimeoutDelay, Options.Time, cancellationToken).ConfigureAwait(false);
                }

                return WebApiErrorWriter.Write(new WebApiException(504, WebApiException.ODataCode,
                    "The request timed out (a timeout injected by the PartnerGuard emulator). It did not run; retry it."), null);
        }

        if (Options.Faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(Options.Faults.Latency, Options.Time, cancellationToken).ConfigureAwait(false);
        }

        var query = request.Uri.Query.TrimStart('?');
        if (relative == "$batch")
        {
            if (request.Method != "POST")
            {
                throw new WebApiException(405, WebApiException.ODataCode, "$batch accepts POST only.");
            }

            return new BatchProcessor(_dispatcher).Run(context, request);
        }

        var operation = new HttpOperation(request.Method, relative, query, request.Headers, request.Body);
        return _dispatcher.Handle(context, operation);
    }

    /// <summary>Splits the URI into the Web API root and the path after it; 404 outside /api/data/v9.x/.</summary>
    private static (string Root, string Relative) Locate(Uri uri)
    {
        var path = uri.AbsolutePath;
        const string marker = "/api/data/v";
        var start = path.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            throw WebApiException.NotFoundSegment(path);
        }

        var versionEnd = path.IndexOf('/', start + marker.Length);
        var version = versionEnd < 0 ? path[(start + marker.Length)..] : path[(start + marker.Length)..versionEnd];
        if (version is not ("9.0" or "9.1" or "9.2"))
        {
            throw WebApiException.NotFoundSegment("v" + version);
        }

        var root = $"{uri.Scheme}://{uri.Authority}{path[..(start + marker.Length)]}{version}/";
        var relative = versionEnd < 0 ? string.Empty : path[(versionEnd + 1)..];
        return (root, relative);
    }

    private CallContext Authenticate(WebApiRequest request, string root)
    {
        var authorization = request.Header("Authorization");
        var token = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
        Guid user;
        if (token is not null && Options.Tokens.TryGetValue(token, out var mapped))
        {
            user = mapped;
        }
        else if (Options.RequireKnownToken)
        {
            throw new WebApiException(401, WebApiException.ODataCode,
                token is null ? "The request has no bearer token (Authorization: Bearer <token>)." : "The bearer token is not valid for this organization.");
        }
        else
        {
            user = _org.AdministratorId;
        }

        var listedForBypass = Options.BypassAllowedUserIds?.Contains(user) ?? false;
        var runAs = Impersonated(request) ?? user;
        if (runAs != user && !_org.HoldsPrivilege(user, Privileges.ActOnBehalfOfAnotherUser))
        {
            // "Impersonate another user": the real caller needs prvActOnBehalfOfAnotherUser (the Delegate role's privilege).
            throw WebApiException.FromFault(_org.PrivilegeFault(user, Privileges.ActOnBehalfOfAnotherUser));
        }

        return new CallContext { AuthenticatedUserId = user, UserId = runAs, Root = root, ListedForBypass = listedForBypass, Model = CurrentModel() };
    }

    /// <summary>"Impersonate another user using the Web API": MSCRMCallerID (systemuserid) or CallerObjectId (Entra object id).</summary>
    private Guid? Impersonated(WebApiRequest request)
    {
        if (request.Header("MSCRMCallerID") is { } callerId)
        {
            return Guid.TryParse(callerId, out var id) ? id : throw WebApiException.BadRequest($"The MSCRMCallerID header '{callerId}' is not a systemuser id.");
        }

        if (request.Header("CallerObjectId") is { } objectId)
        {
            if (!Guid.TryParse(objectId, out var aad))
            {
                throw WebApiException.BadRequest($"The CallerObjectId header '{objectId}' is not an Entra object id.");
            }

            try
            {
                var users = _org.GetService().RetrieveMultiple(new QueryByAttribute("systemuser") { Attributes = { "azureactivedirectoryobjectid" }, Values = { aad } });
                return users.Entities.Count == 1
                    ? users.Entities[0].Id
                    : throw new WebApiException(403, WebApiException.ODataCode, $"No systemuser has the Entra object id {aad:D} given in CallerObjectId.");
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                throw WebApiException.FromFault(fault);
            }
        }

        return null;
    }
}
