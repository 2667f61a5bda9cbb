using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Plans;

/// <summary>The streaming plan reader: rows one at a time from either file, every check, the fingerprint in the same pass.</summary>
public class PlanReaderTests
{
    [Theory]
    [InlineData("plan.csv")]
    [InlineData("plan.json")]
    public void Check_LargePlan_CountsRowsAndPartners_AndFingerprintsLikeTheJsonFile(string file)
    {
        using var folder = new TempDirectory();
        var plan = Large(3000); // about 1 MB of JSON: many refills of the reader's 64 KB buffer
        var (_, json) = PlanFiles.Write(plan, folder.File("plan.csv"));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(json)));

        var checkedPlan = PlanReader.Check(folder.File(file));

        Assert.Equal(3000, checkedPlan.Rows);
        Assert.Equal(expected, checkedPlan.Fingerprint);
        Assert.Equal(plan.Rows.GroupBy(r => r.NewPartnerId).ToDictionary(g => g.Key, g => g.Count()), checkedPlan.AccountsPerPartner);
        Assert.Equal(plan.Rows, checkedPlan.ReadRows().ToList());
    }

    [Fact]
    public void ReadRows_FileEditedAfterTheCheck_ThrowsAfterTheLastRow()
    {
        using var folder = new TempDirectory();
        PlanFiles.Write(Large(10), folder.File("plan.csv"));
        var checkedPlan = PlanReader.Check(folder.File("plan.csv"));
        PlanFiles.Write(Large(10) with { Strategy = "territory" }, folder.File("plan.csv"));

        var error = Assert.Throws<PlanFormatException>(() => checkedPlan.ReadRows().ToList());

        Assert.Contains("changed while it was being applied", error.Message, StringComparison.Ordinal);
    }

    // Plans from `plan` list accounts in the server's order of accountid: Dataverse orders uniqueidentifier as SQL
    // Server does (Microsoft Learn, "Comparing GUID and uniqueidentifier values"; System.Data.SqlTypes.SqlGuid), so
    // the check needs no map for them. A file in any other order must be checked just as strictly.
    [Theory]
    [InlineData("plan.csv")]
    [InlineData("plan.json")]
    public void Check_InOrOutOfServerOrder_GivesTheSameResult_AndFindsARepeatEitherWay(string file)
    {
        using var folder = new TempDirectory();
        var plan = Large(200);
        var inOrder = plan.Rows.OrderBy(r => new System.Data.SqlTypes.SqlGuid(r.AccountId)).ToList();
        var checks = new List<CheckedPlan>();
        foreach (var rows in new[] { inOrder, Enumerable.Reverse(inOrder).ToList() })
        {
            PlanFiles.Write(plan with { Rows = rows }, folder.File("plan.csv"));
            checks.Add(PlanReader.Check(folder.File(file)));
            Assert.Equal(rows, checks[^1].ReadRows().ToList());
        }

        Assert.All(checks, c => Assert.Equal(200, c.Rows));
        Assert.Equal(checks[0].AccountsPerPartner, checks[1].AccountsPerPartner);

        // In order up to the last row, which repeats the first: found, and both places named.
        PlanFiles.Write(plan with { Rows = [.. inOrder, inOrder[0] with { Reason = "again" }] }, folder.File("plan.csv"));
        var error = Assert.Throws<PlanFormatException>(() => PlanReader.Check(folder.File(file)));
        Assert.Contains($"account {inOrder[0].AccountId:D} is already planned in plan.", error.Message, StringComparison.Ordinal);
        Assert.Contains(file.EndsWith(".csv", StringComparison.Ordinal) ? "plan.csv line 7" : "plan.json, rows[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DuplicateAccountInJson_NamesBothRows()
    {
        using var folder = new TempDirectory();
        var plan = Large(5);
        PlanFiles.Write(plan with { Rows = [.. plan.Rows, plan.Rows[1] with { Reason = "again" }] }, folder.File("plan.csv"));

        var error = Assert.Throws<PlanFormatException>(() => PlanReader.Check(folder.File("plan.json")));

        Assert.Contains($"plan.json, rows[5], field 'account_id': account {plan.Rows[1].AccountId:D} is already planned in plan.json, rows[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AccountItsOwnPartner_IsRefused()
    {
        using var folder = new TempDirectory();
        var plan = Large(3);
        PlanFiles.Write(plan with { Rows = [plan.Rows[0], plan.Rows[1] with { NewPartnerId = plan.Rows[1].AccountId }] }, folder.File("plan.csv"));

        var error = Assert.Throws<PlanFormatException>(() => PlanReader.Check(folder.File("plan.csv")));

        Assert.Contains("plan.csv line 8, field 'new_partner_id': an account cannot be its own partner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TruncatedJson_SaysTheFileEndsEarly()
    {
        using var folder = new TempDirectory();
        var (_, json) = PlanFiles.Write(Large(50), folder.File("plan.csv"));
        var text = File.ReadAllText(json);
        File.WriteAllText(json, text[..(text.Length / 2)]);

        var error = Assert.Throws<PlanFormatException>(() => PlanReader.Check(json));

        Assert.Contains("plan.json line", error.Message, StringComparison.Ordinal);
    }

    internal static Plan Large(int rows) => PlanFilesTests.Sample() with
    {
        Rows = Enumerable.Range(1, rows).Select(i => new PlanRow(
            Guid.Parse($"10000000-0000-0000-0000-{i:D12}"),
            $"Customer {i}, \"quoted\"",
            $"A-{i}",
            i % 2 == 0 ? "DE" : null,
            Guid.Parse("50000000-0000-0000-0000-000000000001"),
            "systemuser",
            i % 3 == 0 ? Guid.Parse("90000000-0000-0000-0000-000000000009") : null,
            Guid.Parse($"90000000-0000-0000-0000-{(i % 7) + 1:D12}"),
            $"Partner {(i % 7) + 1}",
            "Balanced share: a reason long enough to make the rows realistic, with ünïcode and a comma.")).ToList(),
    };
}
