using System.Text.Json;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>`partnerguard emulator serve`: the local org over real HTTP on loopback, stopped by cancellation.</summary>
[Collection(SeededStateCollection.Name)]
public sealed class EmulatorServeCommandTests(SeededStateFixture seeded)
{
    /// <summary>A guard against a hang if the server never gets ready; not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Serve_OnAFreePort_AnswersWhoAmIOverHttp_HoldsTheLock_AndStopsCleanlyOnCancellation()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        var output = new SignallingWriter(EmulatorServeCommand.ReadyLine);
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();

        var serving = PartnerGuardCli.InvokeAsync(new[] { "emulator", "serve", "--urls", "http://127.0.0.1:0" }, EmbeddedContexts.For(temp.Path, output, error), stop.Token);
        await Task.WhenAny(output.Seen, serving).WaitAsync(HangGuard);
        Assert.True(output.Seen.IsCompleted, $"not ready: {output}{error}");

        var baseAddress = new Uri(output.ToString().Split('\n').Single(l => l.StartsWith("Serving the Dataverse Web API at ", StringComparison.Ordinal)).Split(' ')[6]);
        Assert.Equal("127.0.0.1", baseAddress.Host);
        Assert.NotEqual(0, baseAddress.Port);
        using (var http = new HttpClient { BaseAddress = baseAddress })
        {
            using var whoAmI = JsonDocument.Parse(await http.GetStringAsync("WhoAmI"));
            Assert.NotEqual(Guid.Empty, whoAmI.RootElement.GetProperty("UserId").GetGuid());
        }

        // While it serves, another console run on the same folder is refused.
        Assert.Throws<ConnectionFailedException>(() => EmbeddedOrg.Open(folder, TimeProvider.System));

        stop.Cancel();
        var code = await serving.WaitAsync(HangGuard);

        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains("Stopped. The org is saved in " + Path.Combine(folder, EmbeddedOrg.StateFileName), output.ToString());
        using var after = EmbeddedOrg.Open(folder, TimeProvider.System);
        Assert.Null(after.Seeded);
    }

    [Theory]
    [InlineData("--urls", "emulator", "serve", "--help")]
    [InlineData("--output", "demo", "--help")]
    [InlineData("--wave-size", "demo", "--help")]
    [InlineData("serve", "emulator", "--help")]
    public async Task Help_ExitsZeroDescribesTheOptions_AndOpensNoOrg(string expected, params string[] args)
    {
        using var temp = new TempDirectory();
        var output = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(temp.Path, output, new StringWriter()));

        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains(expected, output.ToString());
        Assert.False(Directory.Exists(EmbeddedOrg.FolderFor(temp.Path)));
    }

    [Theory]
    [InlineData("http://192.0.2.10:5555", "loopback")]
    [InlineData("not a url", "http URL")]
    public async Task Serve_OnANonLoopbackOrMalformedUrl_IsBadUsage(string url, string expected)
    {
        using var temp = new TempDirectory();
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(new[] { "emulator", "serve", "--urls", url }, EmbeddedContexts.For(temp.Path, new StringWriter(), error));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, error.ToString());
        Assert.False(File.Exists(Path.Combine(EmbeddedOrg.FolderFor(temp.Path), EmbeddedOrg.StateFileName)));
    }
}
