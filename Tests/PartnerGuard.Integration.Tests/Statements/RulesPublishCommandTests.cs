using Microsoft.Xrm.Sdk;
using PartnerGuard.Integration.Domain.Statements;
using PartnerGuard.Integration.Tests.Transparency;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Tests.Statements;

/// <summary>`rules publish` end to end over the in-memory Web API: content, stability, the version stamp, escaping.</summary>
public sealed class RulesPublishCommandTests
{
    [Fact]
    public async Task Publish_SameRules_ByteIdenticalFiles()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        Assert.Equal(0, await cli.RunAsync("rules", "publish", "--output", "one"));
        Assert.Equal(0, await cli.RunAsync("rules", "publish", "--output", "two"));

        Assert.Equal(["one/rules-of-engagement.html", "one/rules-of-engagement.md", "two/rules-of-engagement.html", "two/rules-of-engagement.md"], cli.Files().Select(f => f.Replace('\\', '/')));
        Assert.Equal(File.ReadAllBytes(cli.Path("one", "rules-of-engagement.html")), File.ReadAllBytes(cli.Path("two", "rules-of-engagement.html")));
        Assert.Equal(File.ReadAllBytes(cli.Path("one", "rules-of-engagement.md")), File.ReadAllBytes(cli.Path("two", "rules-of-engagement.md")));
    }

    [Fact]
    public async Task Publish_HandCheckedContent()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        Assert.Equal(0, await cli.RunAsync("rules", "publish", "--format", "md", "--output", "out"));

        Assert.Equal(["out/rules-of-engagement.md"], cli.Files().Select(f => f.Replace('\\', '/')));
        var md = File.ReadAllText(cli.Path("out", "rules-of-engagement.md"));
        // Dated by the newest rule modification (the seeding clock's day), not by the run.
        Assert.Contains("as of 2026-11-27.", md, StringComparison.Ordinal);
        // In force and scheduled, in the policy's order; the ended ones apart.
        var enterprise = md.IndexOf("| 1 | Enterprise | Customers with annual revenue (base currency) of 1,000,000,000 or more. | always | no end | In force | Global enterprises buy direct. |", StringComparison.Ordinal);
        var japan = md.IndexOf("| 2 | Japan direct | Customers located in Japan (JP). |", StringComparison.Ordinal);
        var nordics = md.IndexOf("| 3 | Nordics | Customers located in Finland (FI), Sweden (SE). | 2027-01-01 | no end | Scheduled |", StringComparison.Ordinal);
        Assert.True(enterprise > 0 && japan > enterprise && nordics > japan, md);
        Assert.Contains("## Rules that have ended", md, StringComparison.Ordinal);
        Assert.Contains("| Old promo | Deals with an estimated value of 500,000 or more (base currency), whoever the customer. | 2026-06-30 |", md, StringComparison.Ordinal);
        // Markdown that a rule name must not open: a list marker, a table cell, an HTML tag.
        Assert.Contains("| \\-Autumn \\| promo \\<Q4\\> |", md, StringComparison.Ordinal);
        Assert.Contains("Conflicts are blocked", md, StringComparison.Ordinal);
        Assert.Contains("recorded as Unresolved", md, StringComparison.Ordinal); // audit mode
        var stamp = RulesPublisher.Stamp(
            [.. Scenario.Rules, new DirectSalesRuleDraft { Id = StatementScenario.AutumnPromo, Name = StatementScenario.AutumnName, Kind = "723100004", Threshold = 250_000m, Priority = 40, EffectiveFrom = new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc), EffectiveTo = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc) },
             new DirectSalesRuleDraft { Id = StatementScenario.Nordics, Name = "Nordics", Kind = "723100002", Countries = "FI,SE", Priority = 50, EffectiveFrom = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), Description = "Nordic customers buy direct from 2027." }],
            ChannelSettings.Default);
        Assert.Contains("Version " + stamp + ",", md, StringComparison.Ordinal);
        Assert.Contains("version " + stamp, cli.StandardOutput, StringComparison.Ordinal);

        // A statement names the same version, so a partner can tell which rules its direct deals were judged by.
        Assert.Equal(0, await cli.RunAsync("statement", "--partner", Scenario.Northwind.ToString("D"), "--output", "st"));
        Assert.Contains("Rules of engagement version " + stamp + ".", File.ReadAllText(cli.Path("st", "northwind-b0000000000000000000000000000001.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ChangedRule_ChangesTheStamp()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());
        Assert.Equal(0, await cli.RunAsync("rules", "publish", "--format", "md", "--date", "2026-11-27", "--output", "before"));

        cli.Org.GetService().Update(new Entity("pg_directsalesrule", Scenario.Japan) { ["pg_countries"] = "JP,KR" });
        Assert.Equal(0, await cli.RunAsync("rules", "publish", "--format", "md", "--date", "2026-11-27", "--output", "after"));

        var before = File.ReadAllText(cli.Path("before", "rules-of-engagement.md"));
        var after = File.ReadAllText(cli.Path("after", "rules-of-engagement.md"));
        Assert.NotEqual(StampOf(before), StampOf(after));
        Assert.Contains("Japan (JP), South Korea (KR)", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_BadDate_ExitsOneBeforeConnecting()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        Assert.Equal(1, await cli.RunAsync("rules", "publish", "--date", "27.11.2026", "--output", "out"));

        Assert.Contains("--date must be a date as yyyy-MM-dd", cli.StandardError, StringComparison.Ordinal);
        Assert.Empty(cli.Files());
    }

    private static string StampOf(string markdown)
    {
        var start = markdown.IndexOf("Version ", StringComparison.Ordinal) + "Version ".Length;
        return markdown.Substring(start, 16);
    }
}
