using System.Net;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>The demo's check that a save did what the seller's channel preview said.</summary>
public sealed class DemoSellerTests
{
    private static readonly Guid Northwind = new("6f1d2c3b-0000-4000-8000-000000000001");
    private static readonly Guid Fabrikam = new("6f1d2c3b-0000-4000-8000-000000000002");
    private const string Attached = "Sold through partner Northwind, attached automatically.";

    private static readonly Dictionary<string, (ChannelPreview Preview, SavedDeal Saved, string? Expected)> Table = new()
    {
        ["blocked, refused with the same code"] = (Blocked("PG-001"), Refused("No partner. (PartnerGuard PG-001)"), null),
        ["blocked, refused with another code"] = (Blocked("PG-001"), Refused("Inactive partner. (PartnerGuard PG-002)"), "refused with"),
        ["blocked, but saved"] = (Blocked("PG-001"), new SavedDeal(null, "Partner", Attached, Northwind), "was saved with channel Partner"),
        ["partner, but refused"] = (PartnerPreview(Northwind), Refused("No partner. (PartnerGuard PG-001)"), "was refused (HTTP 400)"),
        ["partner, saved direct"] = (PartnerPreview(Northwind), new SavedDeal(null, "Direct", Attached, null), "saved with channel Direct"),
        ["partner, another reason"] = (PartnerPreview(Northwind), new SavedDeal(null, "Partner", "Sold through partner Northwind.", Northwind), "differs from the reason recorded"),
        ["partner, another partner"] = (PartnerPreview(Northwind), new SavedDeal(null, "Partner", Attached, Fabrikam), "saved with partner " + Fabrikam.ToString("D")),
        ["partner, same channel, reason and partner"] = (PartnerPreview(Northwind), new SavedDeal(null, "Partner", Attached, Northwind), null),
        ["direct, same"] = (new ChannelPreview("Direct", string.Empty, "By rule.", null, string.Empty), new SavedDeal(null, "Direct", "By rule.", null), null),
    };

    public static TheoryData<string> Cases() => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Disagreement_NamesWhatTheSaveDidDifferently_OrNullWhenItAgrees(string because)
    {
        var (preview, saved, expected) = Table[because];

        var disagreement = DemoSeller.Disagreement(preview, saved);

        if (expected is null)
        {
            Assert.True(disagreement is null, $"{because}: {disagreement}");
        }
        else
        {
            Assert.NotNull(disagreement);
            Assert.Contains(expected, disagreement, StringComparison.Ordinal);
        }
    }

    private static ChannelPreview Blocked(string code) => new("Blocked", code, $"Refused. (PartnerGuard {code})", null, string.Empty);

    private static ChannelPreview PartnerPreview(Guid partner) => new("Partner", string.Empty, Attached, partner, "Northwind");

    private static SavedDeal Refused(string message) => new(new DataverseError(HttpStatusCode.BadRequest, "0x80040265", message), null, null, null);
}
