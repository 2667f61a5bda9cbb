namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>Outermost handler: records when a logical request started, for the total-time budget.</summary>
internal sealed class RequestStartHandler : DelegatingHandler
{
    private readonly TimeProvider _time;

    public RequestStartHandler(TimeProvider time)
    {
        _time = time;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        DataverseResilience.MarkStarted(request, _time);
        return base.SendAsync(request, cancellationToken);
    }
}
