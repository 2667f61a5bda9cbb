namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>Feeds every response's x-ms-dop-hint into the shared <see cref="DopHint"/>.</summary>
internal sealed class DopHintHandler : DelegatingHandler
{
    private readonly DopHint _hint;

    public DopHintHandler(DopHint hint)
    {
        _hint = hint;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        _hint.Observe(response);
        return response;
    }
}
