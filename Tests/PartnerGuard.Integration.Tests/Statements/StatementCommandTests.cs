using System.Text.Json;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Integration.Domain.Statements;
using PartnerGuard.Integration.Reports;
using PartnerGuard.Integration.Tests.Transparency;

namespace PartnerGuard.Integration.Tests.Statements;

/// <summary>
/// `statement` end to end: <see cref="StatementScenario"/> seeded into the emulator, read by the console over the
/// in-memory Web API (three rows a page), statements written to --output. Figures worked out by hand.
/// </summary>
public sealed class StatementCommandTests
{
    private static readonly string Northwind = Scenario.Northwind.ToString("D");

    [Fact]
    public async Task Statement_Partner_HandCheckedFigures()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        var code = await cli.RunAsync("statement", "--partner", Northwind, "--output", "out");

        Assert.True(code == 0, cli.StandardOutput + cli.StandardError);
        Assert.Equal(["out/northwind-b0000000000000000000000000000001.csv", "out/northwind-b0000000000000000000000000000001.html", "out/northwind-b0000000000000000000000000000001.json"], cli.Files().Select(f => f.Replace('\\', '/')));
        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("out", "northwind-b0000000000000000000000000000001.json")));
        var root = json.RootElement;
        var totals = root.GetProperty("totals");
        // Alpha (2026-10-01), Zeta (2026-11-15) and Iota (2026-11-20) out of a capacity of 5.
        Assert.Equal(3, totals.GetProperty("customers").GetInt32());
        Assert.Equal(0.6m, totals.GetProperty("load").GetDecimal());
        // A-1 (100,000) and Iota's @risk deal (70,000) name Northwind.
        Assert.Equal(2, totals.GetProperty("openDeals").GetInt32());
        Assert.Equal(170_000m, totals.GetProperty("openValue").GetDecimal());
        // Iota's +plus deal, made direct by the autumn promo.
        Assert.Equal(1, totals.GetProperty("directDeals").GetInt32());
        Assert.Equal(300_000m, totals.GetProperty("directValue").GetDecimal());
        Assert.Equal(StatementScenario.AutumnName, root.GetProperty("directDeals")[0].GetProperty("rule").GetString());
        // A-2 names Fabrikam on Northwind's customer Alpha.
        Assert.Equal(1, totals.GetProperty("conflicts").GetInt32());
        Assert.Equal(50_000m, totals.GetProperty("conflictValue").GetDecimal());
        Assert.Equal("Fabrikam", root.GetProperty("conflicts")[0].GetProperty("dealPartner").GetString());
        // Loads: Northwind 0.6, Fabrikam 0.5 (Delta), Litware 0 (none); Tailspin has no cap.
        var fairness = root.GetProperty("fairness");
        Assert.Equal(3, fairness.GetProperty("cappedPartners").GetInt32());
        Assert.Equal(0m, fairness.GetProperty("minLoad").GetDecimal());
        Assert.Equal(0.6m, fairness.GetProperty("loadSpread").GetDecimal());
        Assert.Equal(0.3667m, fairness.GetProperty("meanLoad").GetDecimal());

        // The customer whose partner changed twice shows its last run and that run's strategy.
        var iota = root.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == StatementScenario.Iota);
        Assert.Equal(StatementScenario.IotaName, iota.GetProperty("name").GetString());
        Assert.Equal("pg-wave-3", iota.GetProperty("run").GetString());
        Assert.Equal("balanced", iota.GetProperty("strategy").GetString());
        Assert.Contains("Customers lost are not listed", root.GetProperty("history").GetString(), StringComparison.Ordinal);

        // Without --since every run and every start or end of an active rule up to today is listed.
        Assert.Equal(["pg-wave-1", "pg-wave-2", "pg-wave-3"], root.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run").GetString()));
        Assert.Equal(4, root.GetProperty("ruleChanges").GetArrayLength());
        Assert.Contains("Northwind: 3 customers, 2 open deals (170,000), 1 of its customers' deals direct, 1 in conflict, 0 customers lost.", cli.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statement_Since_ListsOnlyThePeriodAndKeepsTodaysTotals()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        Assert.Equal(0, await cli.RunAsync("statement", "--partner", Northwind, "--since", "2026-11-01", "--output", "out"));

        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("out", "northwind-b0000000000000000000000000000001.json")));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("totals").GetProperty("customers").GetInt32());
        Assert.Equal(2, root.GetProperty("totals").GetProperty("assignedInPeriod").GetInt32()); // Zeta and Iota
        Assert.Equal(["pg-wave-2", "pg-wave-3"], root.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run").GetString()));
        Assert.Equal(1, root.GetProperty("runs")[1].GetProperty("customersFromRun").GetInt32());
        // The autumn promo ended on 2026-11-20, inside the period; Old promo ended before it.
        var change = Assert.Single(root.GetProperty("ruleChanges").EnumerateArray());
        Assert.Equal(StatementScenario.AutumnName, change.GetProperty("rule").GetString());
        Assert.Equal("2026-11-20", change.GetProperty("day").GetString());
        Assert.Equal(1, root.GetProperty("totals").GetProperty("directDeals").GetInt32()); // decided 2026-11-10
    }

    [Fact]
    public async Task StatementAll_TotalsEqualTheAuditsFiguresForEveryPartner()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        Assert.Equal(0, await cli.RunAsync("audit", "--output", "audit"));
        Assert.Equal(0, await cli.RunAsync("statement", "--all", "--output", "all"));

        using var audit = JsonDocument.Parse(File.ReadAllText(cli.Path("audit", "audit.json")));
        var partners = audit.RootElement.GetProperty("distribution").GetProperty("partners").EnumerateArray().ToList();
        Assert.Equal(["Fabrikam", "Litware", "Northwind", "Tailspin"], partners.Select(p => p.GetProperty("partner").GetString()));
        var conflictsInAudit = audit.RootElement.GetProperty("conflicts").GetProperty("deals").EnumerateArray().ToList();
        foreach (var partner in partners)
        {
            var id = partner.GetProperty("partnerId").GetGuid();
            var name = partner.GetProperty("partner").GetString()!;
            var file = cli.Path("all", StatementFiles.Stem(new StatementPartner(id, name, null)) + ".json");
            using var statement = JsonDocument.Parse(File.ReadAllText(file));
            var totals = statement.RootElement.GetProperty("totals");
            Assert.Equal(partner.GetProperty("accounts").GetInt32(), totals.GetProperty("customers").GetInt32());
            Assert.Equal(partner.GetProperty("openDeals").GetInt32(), totals.GetProperty("openDeals").GetInt32());
            Assert.Equal(partner.GetProperty("openValue").GetDecimal(), totals.GetProperty("openValue").GetDecimal());
            Assert.Equal<decimal?>(partner.GetProperty("load").ValueKind == JsonValueKind.Null ? null : partner.GetProperty("load").GetDecimal(),
                totals.GetProperty("load").ValueKind == JsonValueKind.Null ? null : totals.GetProperty("load").GetDecimal());
            Assert.True(JsonElement.DeepEquals(audit.RootElement.GetProperty("distribution").GetProperty("fairness"), statement.RootElement.GetProperty("fairness")));
            // Its conflicts are the audit's conflicts in which it is the deal's or the customer's partner.
            Assert.Equal(
                conflictsInAudit.Count(c => c.GetProperty("dealPartner").GetString() == name || c.GetProperty("assignedPartner").GetString() == name),
                totals.GetProperty("conflicts").GetInt32());
            // The lists add up to the totals.
            Assert.Equal(totals.GetProperty("customers").GetInt32(), statement.RootElement.GetProperty("customers").GetArrayLength());
            Assert.Equal(totals.GetProperty("openValue").GetDecimal(), statement.RootElement.GetProperty("deals").EnumerateArray().Sum(d => d.GetProperty("value").GetDecimal()));
        }

        // The partner with no customers still gets a statement that says so.
        var litware = File.ReadAllText(cli.Path("all", "litware-b0000000000000000000000000000004.html"));
        Assert.Contains("No customers are assigned to you.", litware, StringComparison.Ordinal);
        var index = File.ReadAllLines(cli.Path("all", "index.csv"));
        Assert.Equal(1 + 4, index.Length);
        Assert.Contains("4 partner statements", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("statements: 4 of 4 written", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("href=\"northwind-b0000000000000000000000000000001.html\"", File.ReadAllText(cli.Path("all", "index.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatementAll_DealsOfAContact_CountForTheContactsAccount_AsInTheAudit()
    {
        // Two contacts of Northwind's customer Iota: one deal names only the contact (its account comes from the
        // contact, read on its own), one names the contact and Iota as parent account and names Fabrikam (a conflict).
        var org = StatementScenario.CreateOrg();
        var contactOnly = new Guid("f0000000-0000-0000-0000-000000000001");
        var withParent = new Guid("f0000000-0000-0000-0000-000000000002");
        org.Seed(new Entity("contact", contactOnly) { ["lastname"] = "Only", ["parentcustomerid"] = new EntityReference("account", StatementScenario.Iota) });
        org.Seed(new Entity("contact", withParent) { ["lastname"] = "Parent", ["parentcustomerid"] = new EntityReference("account", StatementScenario.Iota) });
        org.Seed(new Entity("opportunity", new Guid("d0000000-0000-0000-0000-000000000020"))
        {
            ["name"] = "contact deal direct",
            ["customerid"] = new EntityReference("contact", contactOnly),
            ["estimatedvalue"] = new Money(40_000m),
            ["pg_channel"] = new OptionSetValue(723100001),
            ["pg_directsalesruleid"] = new EntityReference("pg_directsalesrule", StatementScenario.AutumnPromo),
        });
        org.Seed(new Entity("opportunity", new Guid("d0000000-0000-0000-0000-000000000021"))
        {
            ["name"] = "contact deal via Fabrikam",
            ["customerid"] = new EntityReference("contact", withParent),
            ["parentaccountid"] = new EntityReference("account", StatementScenario.Iota),
            ["estimatedvalue"] = new Money(25_000m),
            ["pg_channel"] = new OptionSetValue(723100000),
            ["pg_partnerid"] = new EntityReference("account", Scenario.Fabrikam),
        });
        using var cli = new TransparencyCli(org);

        Assert.Equal(0, await cli.RunAsync("audit", "--output", "audit"));
        Assert.Equal(0, await cli.RunAsync("statement", "--all", "--output", "all"));

        using var audit = JsonDocument.Parse(File.ReadAllText(cli.Path("audit", "audit.json")));
        var conflicts = audit.RootElement.GetProperty("conflicts").GetProperty("deals").EnumerateArray().ToList();
        Assert.Contains(conflicts, c => c.GetProperty("deal").GetString() == "contact deal via Fabrikam");
        using var northwind = JsonDocument.Parse(File.ReadAllText(cli.Path("all", "northwind-b0000000000000000000000000000001.json")));
        Assert.Contains("contact deal direct", northwind.RootElement.GetProperty("directDeals").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(2, northwind.RootElement.GetProperty("totals").GetProperty("directDeals").GetInt32());
        Assert.Equal(340_000m, northwind.RootElement.GetProperty("totals").GetProperty("directValue").GetDecimal());
        foreach (var (file, name) in new[] { ("northwind-b0000000000000000000000000000001.json", "Northwind"), ("fabrikam-b0000000000000000000000000000002.json", "Fabrikam") })
        {
            using var statement = JsonDocument.Parse(File.ReadAllText(cli.Path("all", file)));
            var listed = statement.RootElement.GetProperty("conflicts").EnumerateArray().ToList();
            Assert.Contains(listed, c => c.GetProperty("deal").GetString() == "contact deal via Fabrikam" && c.GetProperty("customer").GetString() == StatementScenario.IotaName);
            Assert.Equal(conflicts.Count(c => c.GetProperty("dealPartner").GetString() == name || c.GetProperty("assignedPartner").GetString() == name), listed.Count);
        }
    }

    [Fact]
    public async Task Statement_PartnerWithMoreCustomersThanOneQueryNames_ListsEveryCustomersDeals()
    {
        // More customers than one In(...) list holds (StatementSource.IdsPerQuery), each with one deal made direct, and
        // one deal naming the partner on a customer of the last list: every list's deals must be read.
        var org = StatementScenario.CreateOrg();
        var count = (2 * PartnerGuard.Integration.Dataverse.StatementSource.IdsPerQuery) + 10;
        var customers = org.Seed(Enumerable.Range(0, count).Select(i => new Entity("account")
        {
            ["name"] = $"Many {i:D3}",
            ["pg_assignedpartnerid"] = new EntityReference("account", StatementScenario.Litware),
        })).ToArray();
        org.Seed(customers.Select((customer, i) => new Entity("opportunity")
        {
            ["name"] = $"Many deal {i:D3}",
            ["customerid"] = new EntityReference("account", customer),
            ["estimatedvalue"] = new Money(1_000m),
            ["pg_channel"] = new OptionSetValue(723100001),
            ["pg_directsalesruleid"] = new EntityReference("pg_directsalesrule", StatementScenario.AutumnPromo),
        }));
        org.Seed(new Entity("opportunity")
        {
            ["name"] = "Many through Litware",
            ["customerid"] = new EntityReference("account", customers[^1]),
            ["estimatedvalue"] = new Money(5_000m),
            ["pg_channel"] = new OptionSetValue(723100000),
            ["pg_partnerid"] = new EntityReference("account", StatementScenario.Litware),
        });
        using var cli = new TransparencyCli(org);

        Assert.Equal(0, await cli.RunAsync("statement", "--partner", StatementScenario.Litware.ToString("D"), "--output", "out"));

        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("out", "litware-b0000000000000000000000000000004.json")));
        var totals = json.RootElement.GetProperty("totals");
        Assert.Equal(count, totals.GetProperty("customers").GetInt32());
        Assert.Equal(count, totals.GetProperty("directDeals").GetInt32());
        Assert.Equal(count * 1_000m, totals.GetProperty("directValue").GetDecimal());
        Assert.Equal("Many through Litware", Assert.Single(json.RootElement.GetProperty("deals").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(1, totals.GetProperty("openDeals").GetInt32());
    }

    [Fact]
    public async Task StatementAll_AtATerminal_DrawsAProgressBar()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());
        var screen = new StringWriter();
        cli.Terminal = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.Yes,
            ColorSystem = Spectre.Console.ColorSystemSupport.Standard,
            Interactive = Spectre.Console.InteractionSupport.Yes,
            Out = new Spectre.Console.AnsiConsoleOutput(screen),
        });

        Assert.Equal(0, await cli.RunAsync("statement", "--all", "--output", "all"));

        var drawn = screen.ToString();
        Assert.Contains("\u001b[", drawn, StringComparison.Ordinal);
        Assert.Contains("statements", drawn, StringComparison.Ordinal);
        Assert.Contains("100%", drawn, StringComparison.Ordinal);
        Assert.DoesNotContain("written", cli.StandardOutput.Replace("4 partner statements", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1 + 4, File.ReadAllLines(cli.Path("all", "index.csv")).Length);
    }

    [Fact]
    public async Task Statement_NamesAreEscapedInHtmlAndCsv()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        Assert.Equal(0, await cli.RunAsync("statement", "--partner", Northwind, "--output", "out"));

        var html = File.ReadAllText(cli.Path("out", "northwind-b0000000000000000000000000000001.html"));
        Assert.Contains("=SUM(1+1) &lt;b&gt;Iota&lt;/b&gt; &amp; &quot;Co&quot; | *x*", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Iota", html, StringComparison.Ordinal);
        Assert.Contains("-Autumn | promo &lt;Q4&gt;", html, StringComparison.Ordinal);

        var cells = ReadCsv(cli.Path("out", "northwind-b0000000000000000000000000000001.csv"));
        var names = cells.Skip(1).Select(r => r[2]).Concat(cells.Skip(1).Select(r => r[7])).ToList();
        // A spreadsheet would run these as formulas; the report keeps the text and neutralises the first character.
        foreach (var raw in new[] { StatementScenario.IotaName, StatementScenario.AtDeal, StatementScenario.PlusDeal, StatementScenario.AutumnName })
        {
            Assert.DoesNotContain(raw, names);
            Assert.Contains(names, n => n.EndsWith(raw, StringComparison.Ordinal) && n.Length > raw.Length);
        }

        Assert.DoesNotContain(cells.SelectMany(r => r), c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@');
    }

    [Theory]
    [InlineData(new[] { "statement" }, "Give either --partner ID or --all.")]
    [InlineData(new[] { "statement", "--all", "--partner", "b0000000-0000-0000-0000-000000000001" }, "Give either --partner ID or --all.")]
    [InlineData(new[] { "statement", "--partner", "Northwind" }, "--partner must be an account id")]
    [InlineData(new[] { "statement", "--all", "--since", "01/11/2026" }, "--since must be a date as yyyy-MM-dd")]
    public async Task Statement_BadOptions_ExitOneAndWriteNothing(string[] args, string message)
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        Assert.Equal(1, await cli.RunAsync([.. args, "--output", "out"]));

        Assert.Contains(message, cli.StandardError, StringComparison.Ordinal);
        Assert.Empty(cli.Files());
    }

    [Fact]
    public async Task Statement_NotAPartner_ExitsOne()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());

        Assert.Equal(1, await cli.RunAsync("statement", "--partner", StatementScenario.Iota.ToString("D"), "--output", "out"));

        Assert.Contains("is not an active partner", cli.StandardError, StringComparison.Ordinal);
    }

    /// <summary>RFC 4180 rows (quoted cells with doubled quotes; a line break inside quotes is kept).</summary>
    internal static List<string[]> ReadCsv(string path)
    {
        var text = File.ReadAllText(path);
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString().TrimEnd('\r'));
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        return rows;
    }
}
