using System.Net;
using System.Text;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Tests.WebApi;

/// <summary>
/// Metadata is asked once per client, even when parallel workers all miss the cache before the first answer
/// arrives: the lookup in flight is shared. Requests are counted on the wire.
/// </summary>
public sealed class MetadataOnceTests
{
    private const string EntitySet = """{"LogicalName":"account","EntitySetName":"accounts"}""";
    private const string Navigation = """{"value":[{"ReferencingAttribute":"pg_assignedpartnerid","ReferencedEntity":"account","ReferencingEntityNavigationPropertyName":"pg_AssignedPartnerId"}]}""";
    private const string Filter = """{"value":[{"sdkmessagefilterid":"4a4bfb2e-0000-0000-0000-000000000000"}]}""";

    [Fact]
    public async Task EightConcurrentCallers_CauseOneRequestPerLookup()
    {
        var transport = new HeldTransport(path => path.Contains("ManyToOneRelationships", StringComparison.Ordinal) ? Navigation
            : path.Contains("sdkmessagefilters", StringComparison.Ordinal) ? Filter
            : EntitySet);
        var client = WebApiTestHarness.Create(transport, TimeProvider.System, out _, new WebApiOptions { AttemptTimeout = null, MaxDegreeOfParallelism = 8 });

        // Each call takes its place in the cache before returning, so all 8 × 3 are waiting while the first requests are held.
        var sets = Enumerable.Range(0, 8).Select(_ => client.GetEntitySetNameAsync("account", CancellationToken.None)).ToList();
        var navigations = Enumerable.Range(0, 8).Select(_ => client.GetLookupNavigationNameAsync("account", "pg_assignedpartnerid", "account", CancellationToken.None)).ToList();
        var probes = Enumerable.Range(0, 8).Select(_ => client.SupportsUpdateMultipleAsync("account", CancellationToken.None)).ToList();
        await transport.ArrivedAsync(1);
        transport.Release();

        Assert.All(await Task.WhenAll(sets), s => Assert.Equal("accounts", s));
        Assert.All(await Task.WhenAll(navigations), n => Assert.Equal("pg_AssignedPartnerId", n));
        Assert.All(await Task.WhenAll(probes), Assert.True);
        Assert.Equal("accounts", await client.GetEntitySetNameAsync("ACCOUNT", CancellationToken.None)); // cached, any case
        Assert.Equal(3, transport.Paths.Count);
        Assert.Single(transport.Paths, p => p.Contains("EntityDefinitions(LogicalName='account')?", StringComparison.Ordinal));
        Assert.Single(transport.Paths, p => p.Contains("ManyToOneRelationships", StringComparison.Ordinal));
        Assert.Single(transport.Paths, p => p.Contains("sdkmessagefilters", StringComparison.Ordinal));
    }

    // A failed lookup is not cached: the next caller asks again. A caller that gives up does not fail the others.
    [Fact]
    public async Task FailedLookupIsForgotten_AndOneCallerCancellingDoesNotFailTheOthers()
    {
        var fail = true;
        var transport = new HeldTransport(_ => EntitySet, _ => fail ? HttpStatusCode.Forbidden : HttpStatusCode.OK) { Holding = false };
        var client = WebApiTestHarness.Create(transport, TimeProvider.System, out _);

        await Assert.ThrowsAsync<DataverseException>(() => client.GetEntitySetNameAsync("account", CancellationToken.None));
        fail = false;
        transport.Holding = true;
        using var giveUp = new CancellationTokenSource();
        var quitter = client.GetEntitySetNameAsync("account", giveUp.Token);
        var stayer = client.GetEntitySetNameAsync("account", CancellationToken.None);
        await transport.ArrivedAsync(1);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter);
        transport.Release();

        Assert.Equal("accounts", await stayer);
        Assert.Equal(2, transport.Paths.Count);
    }

    /// <summary>Answers from canned JSON; while holding, keeps every request until released.</summary>
    private sealed class HeldTransport : HttpMessageHandler
    {
        private readonly Func<string, string> _body;
        private readonly Func<string, HttpStatusCode> _status;
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();

        public HeldTransport(Func<string, string> body, Func<string, HttpStatusCode>? status = null)
        {
            _body = body;
            _status = status ?? (_ => HttpStatusCode.OK);
        }

        public bool Holding { get; set; } = true;

        public IReadOnlyList<string> Paths => [.. _paths];

        public void Release() => _release.TrySetResult();

        public async Task ArrivedAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await _arrived.WaitAsync();
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = Uri.UnescapeDataString(request.RequestUri!.PathAndQuery);
            _paths.Enqueue(path);
            _arrived.Release();
            if (Holding)
            {
                await _release.Task;
            }

            var status = _status(path);
            var json = status == HttpStatusCode.OK ? _body(path) : """{"error":{"code":"0x80040220","message":"no privilege"}}""";
            return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json"), RequestMessage = request };
        }
    }
}
