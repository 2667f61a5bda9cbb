using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Plans;

public class PlanFilesTests
{
    internal static Plan Sample() => new(
        "wave-2026-11-27",
        new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero),
        "balanced",
        new Dictionary<string, string> { ["max-accounts"] = "2", ["per-partner-max"] = "10" },
        [
            new PlanRow(
                Guid.Parse("10000000-0000-0000-0000-000000000001"), "Contoso, Ltd. \"HQ\"", "A-001", "DE",
                Guid.Parse("50000000-0000-0000-0000-000000000001"), "systemuser", null,
                Guid.Parse("90000000-0000-0000-0000-000000000001"), "Fabrikam Partners",
                "Balanced share: Fabrikam Partners had 3 of its fair share of 5 (capacity 10)."),
            new PlanRow(
                Guid.Parse("10000000-0000-0000-0000-000000000002"), "Ünïcode GmbH", null, null,
                null, null, Guid.Parse("90000000-0000-0000-0000-000000000009"),
                Guid.Parse("90000000-0000-0000-0000-000000000002"), "Northwind Resellers",
                "Territory: Northwind Resellers serves DE."),
        ]);

    [Fact]
    public void WriteThenRead_CsvAndJson_GiveTheSamePlan()
    {
        using var folder = new TempDirectory();
        var plan = Sample();

        var (csv, json) = PlanFiles.Write(plan, folder.File("plan.csv"));

        Assert.Equal(folder.File("plan.json"), json);
        AssertSame(plan, PlanFiles.Read(csv));
        AssertSame(plan, PlanFiles.Read(json));
    }

    [Fact]
    public void Write_SamePlanTwice_IsByteIdentical()
    {
        using var folder = new TempDirectory();

        PlanFiles.Write(Sample(), folder.File("a.csv"));
        PlanFiles.Write(Sample() with { Parameters = new Dictionary<string, string> { ["per-partner-max"] = "10", ["max-accounts"] = "2" } }, folder.File("b.csv"));

        Assert.Equal(File.ReadAllBytes(folder.File("a.csv")), File.ReadAllBytes(folder.File("b.csv")));
        Assert.Equal(File.ReadAllBytes(folder.File("a.json")), File.ReadAllBytes(folder.File("b.json")));
        Assert.NotEqual(0xEF, File.ReadAllBytes(folder.File("a.csv"))[0]); // no byte order mark
    }

    [Fact]
    public void Fingerprint_IsTheSha256OfTheJsonFile_WhicheverFormatWasRead()
    {
        using var folder = new TempDirectory();
        var (csv, json) = PlanFiles.Write(Sample(), folder.File("plan.csv"));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(json)));

        var (other, _) = PlanFiles.Write(Sample() with { Strategy = "territory" }, folder.File("other.csv"));

        // The fingerprint a run is tied to is the one the checked plan carries (apply and distribute read it there).
        Assert.Equal(expected, PlanReader.Check(csv).Fingerprint);
        Assert.Equal(expected, PlanReader.Check(json).Fingerprint);
        Assert.NotEqual(expected, PlanReader.Check(other).Fingerprint);
    }

    [Fact]
    public void ToCsv_StartsWithTheRunMetadataAndTheHeader()
    {
        var lines = PlanFiles.ToCsv(Sample()).Split("\r\n");

        Assert.Equal("# run_id: wave-2026-11-27", lines[0]);
        Assert.Equal("# created_on: 2026-11-27T08:00:00Z", lines[1]);
        Assert.Equal("# strategy: balanced", lines[2]);
        Assert.Equal("# parameters: {\"max-accounts\":\"2\",\"per-partner-max\":\"10\"}", lines[3]);
        Assert.Equal("# format: partnerguard-plan/2", lines[4]);
        Assert.Equal(string.Join(",", PlanColumns.All), lines[5]);
        Assert.StartsWith("10000000-0000-0000-0000-000000000001,\"Contoso, Ltd. \"\"HQ\"\"\",A-001,DE,", lines[6], StringComparison.Ordinal);
        Assert.Equal(["# end: 2 rows", string.Empty], lines[^2..]);
    }

    public static TheoryData<string, string> BadCsv() => new()
    {
        { Replace("10000000-0000-0000-0000-000000000002,", "1000000X-0000-0000-0000-000000000002,"), "plan.csv line 8, field 'account_id': '1000000X-0000-0000-0000-000000000002' is not a record id" },
        { Replace(",Northwind Resellers,", ",,"), "plan.csv line 8, field 'new_partner_name': a value is required" },
        { Replace(",systemuser,", ",queue,"), "plan.csv line 7, field 'current_owner_table': 'queue' is not an owner table" },
        { Replace("new_partner_id,", "partner,"), "plan.csv: the header row has no column 'new_partner_id'" },
        { Replace("# run_id: wave-2026-11-27\r\n", string.Empty), "plan.csv: the '# run_id: …' line at the top of the plan is missing" },
        { Replace("# created_on: 2026-11-27T08:00:00Z", "# created_on: yesterday"), "'yesterday' is not a UTC time" },
        { Replace("10000000-0000-0000-0000-000000000002,", "10000000-0000-0000-0000-000000000001,"), "plan.csv line 8, field 'account_id': account 10000000-0000-0000-0000-000000000001 is already planned in plan.csv line 7" },
        { Replace(",Fabrikam Partners,", ",Fabrikam Partners,extra,"), "plan.csv line 7: the CSV is malformed" },
        { Replace("\"Contoso, Ltd. \"\"HQ\"\"\"", "\"Contoso"), "plan.csv line 7: the CSV is malformed" },
    };

    [Theory]
    [MemberData(nameof(BadCsv))]
    public void Read_MalformedCsv_NamesLineAndField(string content, string expected)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("plan.csv"), content);

        var error = Assert.Throws<PlanFormatException>(() => PlanFiles.Read(folder.File("plan.csv")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    // Issue #12 defect 7: a plan cut at a line boundary (or with rows removed) is refused: its last line is
    // "# end: N rows", which the reader checks against the rows it read. Trailing commas on it (as a spreadsheet writes
    // a one-cell row) do not matter.
    [Theory]
    [InlineData("cut after the first row", "does not end with its '# end: N rows' line")]
    [InlineData("a row removed", "says 2 rows but the file holds 1")]
    [InlineData("saved by a spreadsheet", null)]
    public void Read_CsvEndLine_IsChecked(string edit, string? expected)
    {
        using var folder = new TempDirectory();
        var lines = PlanFiles.ToCsv(Sample()).Split("\r\n").ToList();
        var rows = lines.FindIndex(l => l.StartsWith("10000000-", StringComparison.Ordinal));
        var text = edit switch
        {
            "cut after the first row" => string.Join("\r\n", lines.Take(rows + 1)) + "\r\n",
            "a row removed" => string.Join("\r\n", lines.Where((_, i) => i != rows + 1)),
            _ => string.Join("\r\n", lines.Select(l => l.StartsWith("# end:", StringComparison.Ordinal) ? l + ",,,,,,,,," : l)),
        };
        File.WriteAllText(folder.File("plan.csv"), text);

        if (expected is null)
        {
            Assert.Equal(2, PlanReader.Check(folder.File("plan.csv")).Rows);
            return;
        }

        var error = Assert.Throws<PlanFormatException>(() => PlanReader.Check(folder.File("plan.csv")));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("plan.csv: ", error.Message, StringComparison.Ordinal);
    }

    // Plans written before the end line (no '# format' line) are read as before, with the same fingerprint.
    [Fact]
    public void Read_OlderCsvWithoutFormatLine_IsReadUnchecked_WithTheSameFingerprint()
    {
        using var folder = new TempDirectory();
        var (csv, _) = PlanFiles.Write(Sample(), folder.File("plan.csv"));
        var older = File.ReadAllLines(csv).Where(l => !l.StartsWith("# format:", StringComparison.Ordinal) && !l.StartsWith("# end:", StringComparison.Ordinal));
        File.WriteAllLines(folder.File("older.csv"), older);

        var checkedPlan = PlanReader.Check(folder.File("older.csv"));

        Assert.Equal(2, checkedPlan.Rows);
        Assert.Equal(PlanReader.Check(csv).Fingerprint, checkedPlan.Fingerprint);
    }

    public static TheoryData<string, string> BadJson() => new()
    {
        { ReplaceJson("\"account_id\": \"10000000-0000-0000-0000-000000000002\"", "\"account_id\": \"nope\""), "plan.json, field '$.rows[1].account_id': 'nope' is not a record id" },
        { ReplaceJson("\"reason\": \"Territory: Northwind Resellers serves DE.\"", "\"reasons\": \"x\""), "plan.json line 32, field '$.rows[1].reasons'" },
        { ReplaceJson("\"strategy\": \"balanced\",", "\"strategy\": \"balanced\""), "plan.json line 5" },
        { ReplaceJson("\"run_id\": \"wave-2026-11-27\",", string.Empty), "run_id" },
        { ReplaceJson("\"run_id\": \"wave-2026-11-27\",", "\"run_id\": \"wave 1/2\","), "the run id 'wave 1/2'" },
    };

    [Theory]
    [MemberData(nameof(BadJson))]
    public void Read_MalformedJson_NamesLineOrPath(string content, string expected)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("plan.json"), content);

        var error = Assert.Throws<PlanFormatException>(() => PlanFiles.Read(folder.File("plan.json")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFileOrOtherExtension_IsAUsageError()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("plan.txt"), "x");

        Assert.Contains("does not exist", Assert.Throws<PlanFormatException>(() => PlanFiles.Read(folder.File("none.csv"))).Message, StringComparison.Ordinal);
        Assert.Contains(".csv or .json", Assert.Throws<PlanFormatException>(() => PlanFiles.Read(folder.File("plan.txt"))).Message, StringComparison.Ordinal);
    }

    private static string Replace(string from, string to)
    {
        var csv = PlanFiles.ToCsv(Sample());
        Assert.Contains(from, csv, StringComparison.Ordinal);
        return csv.Replace(from, to, StringComparison.Ordinal);
    }

    private static string ReplaceJson(string from, string to)
    {
        var json = PlanFiles.ToJson(Sample());
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    internal static void AssertSame(Plan expected, Plan actual)
    {
        Assert.Equal(expected.RunId, actual.RunId);
        Assert.Equal(expected.CreatedOn, actual.CreatedOn);
        Assert.Equal(expected.Strategy, actual.Strategy);
        Assert.Equal(expected.Parameters.OrderBy(p => p.Key), actual.Parameters.OrderBy(p => p.Key));
        Assert.Equal(expected.Rows, actual.Rows);
    }
}
