using System.Text.Json.Nodes;
using static PartnerGuard.FormScript.Tests.FormRun;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// The opportunity form script against <see cref="StandInCheckChannel"/>, for the only cases the real server cannot be
/// made to produce on purpose: an answer held back until a later one has arrived (stale answers), a server error, and
/// a client API that throws before any request. Everything else runs against the emulator's Web API and the real
/// plug-in in <see cref="ChannelPreviewThroughTheEmulatorTests"/>.
/// </summary>
public sealed class OpportunityFormScriptTests
{
    private const string NotificationId = "pg_channelpreview";

    private static readonly Guid Contoso = Guid.Parse("2f6b0d8e-4a51-4c7e-9f0a-1d3c5b7e9a01");
    private static readonly Guid Fabrikam = Guid.Parse("7c1e9a55-3b2d-4f60-8e47-5a9b0c1d2e03");
    private static readonly Guid Northwind = Guid.Parse("a3d47f10-6e2b-4c89-b5f1-0e9d8c7b6a05");

    [Fact]
    public async Task AnEarlierAnswerArrivingLast_DoesNotOverwriteTheNewerNotice_NorFillThePartner()
    {
        // Contoso's answer is held back until Fabrikam's (asked later) has been answered.
        var api = new StandInCheckChannel(call => call.Customer.Id == Contoso
            ? StandInCheckChannel.Decision("Partner", "", "assigned", (Northwind, "Northwind Traders")) with { HoldUntilAnswered = Fabrikam }
            : StandInCheckChannel.Decision("Blocked", "PG-001", "needs a partner"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(
            server,
            new JsonObject(),
            Load(),
            Set("customerid", Lookup(Contoso, "Contoso Ltd", "account"), overtakenByNext: true),
            Set("customerid", Lookup(Fabrikam, "Fabrikam Inc", "account")));

        Assert.Equal(new[] { Contoso, Fabrikam }.Order(), api.Calls.Select(c => c.Customer.Id).Order());
        Assert.Equal(
            new FormNotification("Choose a partner: no rule covers this customer.", "WARNING", NotificationId),
            Assert.Single(state.Notifications));
        Assert.Null(state.Partner);
    }

    [Fact]
    public async Task TheApiFails_TheSellerSeesANeutralLineWithoutTheError()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Failure(500, "System.NullReferenceException: Object reference not set\n   at PartnerGuard.X()"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(server, new JsonObject { ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account") }, Load());

        var notice = Assert.Single(state.Notifications);
        Assert.Equal(
            new FormNotification("The channel preview is not available right now. Saving still applies PartnerGuard's rules.", "INFO", NotificationId),
            notice);
        Assert.Null(state.Partner);
    }

    [Fact]
    public async Task TheWebApiThrowsAtOnce_TheSellerSeesTheNeutralLine_NotAScriptError()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Decision("Blocked", "PG-001", "needs a partner"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(
            server,
            new JsonObject { ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account"), ["webApiUnavailable"] = true },
            Load());

        Assert.Empty(api.Calls);
        Assert.Equal(
            new FormNotification("The channel preview is not available right now. Saving still applies PartnerGuard's rules.", "INFO", NotificationId),
            Assert.Single(state.Notifications));
    }

}