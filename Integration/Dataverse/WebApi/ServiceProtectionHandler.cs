using System.Net;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// Puts every attempt through the client's <see cref="ServiceProtectionGate"/>: waits for the gate and a slot
/// before sending, then reports the answer (refused by service protection, succeeded, or neither). Sits inside the
/// retry policy, so each retry passes the gate again, and outside the attempt timeout, so time held at the gate is
/// not counted against one attempt.
/// </summary>
internal sealed class ServiceProtectionHandler : DelegatingHandler
{
    private readonly ServiceProtectionGate _gate;
    private readonly WebApiOptions _options;
    private readonly TimeProvider _time;

    public ServiceProtectionHandler(ServiceProtectionGate gate, WebApiOptions options, TimeProvider time)
    {
        _gate = gate;
        _options = options;
        _time = time;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var deadline = DataverseResilience.Deadline(request, _options, _time);
        var slot = await _gate.EnterAsync(deadline, cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _gate.Exit(slot, refusal: null, retryAfter: null, succeeded: false);
            throw;
        }

        DataverseError? refusal = null;
        try
        {
            refusal = await RefusalAsync(response, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Exit(slot, refusal, refusal is null ? null : DataverseResilience.RetryAfter(response, _time), response.IsSuccessStatusCode);
        }

        return response;
    }

    /// <summary>
    /// The service-protection error of a response, or null: any 429, or any error whose code is one of the three
    /// service-protection codes (webapi-notes §4.1–4.2). Only error bodies are read (and buffered for the caller).
    /// </summary>
    internal static async Task<DataverseError?> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var error = await DataverseErrorParser.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.TooManyRequests || ServiceProtectionGate.ServiceProtectionCodes.Contains(error.Code)
            ? error
            : null;
    }
}
