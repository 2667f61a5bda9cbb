using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace PartnerGuard.Integration.Tests.Support;

/// <summary>
/// Counts, per account id, the write requests (PATCH, PUT, POST, DELETE, $batch) that name it, in the URL or the body:
/// the request line of a plain request or of each $batch part names the account by key; an UpdateMultiple target names
/// it in its body. The partner's "@odata.bind": "/accounts(id)" is neither. The body is read and put back unchanged.
/// </summary>
internal sealed partial class AccountWriteCounter(ConcurrentDictionary<Guid, int> writes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get)
        {
            var text = request.Method + " " + request.RequestUri!.AbsolutePath;
            if (request.Content is { } content)
            {
                var body = await content.ReadAsStringAsync(cancellationToken);
                text += "\n" + body;
                var replacement = new StringContent(body);
                replacement.Headers.Clear();
                foreach (var header in content.Headers)
                {
                    replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                request.Content = replacement;
            }

            foreach (var id in AccountIds().Matches(text).Select(m => Guid.Parse(m.Groups["id"].Value)).Distinct())
            {
                writes.AddOrUpdate(id, 1, (_, n) => n + 1);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }

    [GeneratedRegex("""(?:(?:PATCH|PUT|POST|DELETE) \S*accounts\(|"accountid"\s*:\s*")(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})""")]
    private static partial Regex AccountIds();
}
