using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Tests.Transparency;

public sealed class RulesDocumentTests
{
    [Fact]
    public void Write_StableOrderNamesAndCodes_RoundTrips()
    {
        var stored = new[]
        {
            new DirectSalesRuleDraft { Id = Scenario.Japan, Name = "Japan direct", Kind = "723100002", Countries = "Japan; kr", Priority = 20 },
            new DirectSalesRuleDraft { Id = Scenario.Enterprise, Name = "Enterprise", Kind = "723100000", Measure = "723100001", Threshold = 5000.0000000000m, Priority = 10, IsActive = false },
        };

        var text = RulesDocument.Write(stored);

        Assert.Equal(
            """
            {
              "format": "partnerguard-rules/1",
              "rules": [
                {
                  "id": "e0000000-0000-0000-0000-000000000001",
                  "name": "Enterprise",
                  "kind": "CustomerSizeAbove",
                  "measure": "Employees",
                  "threshold": 5000,
                  "priority": 10,
                  "active": false
                },
                {
                  "id": "e0000000-0000-0000-0000-000000000002",
                  "name": "Japan direct",
                  "kind": "Geography",
                  "countries": [
                    "JP",
                    "KR"
                  ],
                  "priority": 20,
                  "active": true
                }
              ]
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
        Assert.Equal(text, RulesDocument.Write(stored.Reverse()));
        var (read, problems) = RulesDocument.Read(text);
        Assert.Empty(problems);
        Assert.Equal(text, RulesDocument.Write(read));
    }

    [Fact]
    public void Read_MalformedRules_NamesEveryProblemWithItsPath()
    {
        const string text = """
            {
              "format": "partnerguard-rules/1",
              "rules": [
                { "name": "Big", "kind": "CustomerSizeAbove", "measure": "AnnualRevenue", "threshold": 1000000, "priority": 10 },
                { "name": "Spooky", "kind": "Astrology", "priority": 20 },
                { "name": "Deals", "kind": "DealSizeAbove", "priority": 30 },
                { "name": "Nordics", "kind": "Geography", "countries": ["SE", "XX", "Norway"], "priority": 40 },
                { "name": "big", "kind": "DealSizeAbove", "threshold": 5, "priority": 50 },
                { "name": "Typed", "kind": 723100004, "threshold": "lots", "priority": 60 }
              ]
            }
            """;

        var (rules, problems) = RulesDocument.Read(text);

        Assert.Empty(rules);
        var paths = problems.Select(p => p.Path).ToList();
        Assert.Equal(
            [
                "$.rules[1].kind",
                "$.rules[2].threshold",
                "$.rules[3].countries[1]",
                "$.rules[3].countries[2]",
                "$.rules[5].kind",
                "$.rules[5].threshold",
                "$.rules[4].name",
            ],
            paths);
        Assert.Contains("Astrology", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("Threshold", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("'XX' is not an ISO 3166-1 alpha-2", problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean \"NO\"?", problems[3].Message, StringComparison.Ordinal);
        Assert.Contains("by name", problems[4].Message, StringComparison.Ordinal);
        Assert.Contains("Must be a number", problems[5].Message, StringComparison.Ordinal);
        Assert.Contains("already used by $.rules[0]", problems[6].Message, StringComparison.Ordinal);
    }

    // Issue #12 defect 7: a document without "format" is not taken for a rules document.
    [Fact]
    public void Read_WithoutFormat_IsRefusedNamingTheProperty()
    {
        var (rules, problems) = RulesDocument.Read("{ \"rules\": [] }");

        Assert.Empty(rules);
        var problem = Assert.Single(problems);
        Assert.Equal("$.format", problem.Path);
        Assert.Contains("partnerguard-rules/1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotJson_GivesLineAndColumn()
    {
        var (_, problems) = RulesDocument.Read("{\n  \"rules\": [\n    { \"name\": \"x\" ,, }\n  ]\n}");

        var problem = Assert.Single(problems);
        Assert.StartsWith("line 3, column ", problem.Path, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_MatchesByIdThenName_ReportsFieldsAndMissing()
    {
        var (file, problems) = RulesDocument.Read(Scenario.DraftJson);
        Assert.Empty(problems);

        var diff = RulesDiff.Compute(file, Scenario.Rules);

        var changed = Assert.Single(diff.Changed);
        Assert.Equal("Enterprise", changed.Name);
        Assert.Equal([new FieldChange("threshold", "1000000000", "5000000")], changed.Fields);
        Assert.Equal(["Old promo"], diff.Unchanged.Select(u => u.Name));
        var added = Assert.Single(diff.Added);
        Assert.Equal(("Finland direct", RulesDiff.NameBasedId("Finland direct")), (added.Name, added.Id));
        Assert.Equal(["Japan direct"], diff.Missing.Select(m => m.Name));
    }
}
