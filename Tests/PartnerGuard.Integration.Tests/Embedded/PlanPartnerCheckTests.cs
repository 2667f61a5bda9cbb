using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// Issue #12 defect 5: apply checks the plan's partners against the org before writing. Rows whose partner was
/// deactivated since the plan, or whose partner was edited into a customer, are skipped with a reason per row (console,
/// journal, results); the other rows are applied.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class PlanPartnerCheckTests(SeededStateFixture seeded)
{
    [Fact]
    public async Task Apply_SkipsRowsWhosePartnerIsInactiveOrACustomer_WithAReasonPerRow()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Done, await RunAsync(temp.Path, output, "plan", "--strategy", "balanced", "--max-accounts", "40", "--run-id", "pc", "--out", "plan.csv"));

        var path = Path.Combine(temp.Path, "plan.csv");
        var lines = File.ReadAllLines(path).ToList();
        var header = lines.FindIndex(l => l.StartsWith("account_id,", StringComparison.Ordinal));
        var rows = lines.Skip(header + 1).Where(l => !l.StartsWith('#') && l.Length > 0).Select(l => l.Split(',')).ToList();
        var inactivePartner = Guid.Parse(rows[0][7]);
        var editedRow = rows.FindIndex(r => Guid.Parse(r[7]) != inactivePartner);
        var customer = Guid.Parse(rows[editedRow == 0 ? 1 : 0][0]);
        var editedAccount = Guid.Parse(rows[editedRow][0]);
        lines[header + 1 + editedRow] = lines[header + 1 + editedRow].Replace(rows[editedRow][7], customer.ToString("D"), StringComparison.Ordinal);
        File.WriteAllLines(path, lines);
        var skipped = rows.Where(r => Guid.Parse(r[7]) == inactivePartner).Select(r => Guid.Parse(r[0])).Append(editedAccount).ToHashSet();

        using (var org = EmbeddedOrg.Open(folder, TimeProvider.System))
        {
            org.Org.GetService().Update(new Entity("account", inactivePartner) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(2) });
            org.Save();
        }

        var code = await RunAsync(temp.Path, output, "apply", "--plan", "plan.csv", "--yes", "--output", "rep");

        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains($"for partner {inactivePartner:D}: the planned partner", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"for partner {customer:D}: the planned partner", output.ToString(), StringComparison.Ordinal);
        var results = File.ReadAllLines(Path.Combine(temp.Path, "rep", "pc.apply.results.csv")).Skip(1).Select(l => l.Split(',', 4)).ToDictionary(r => Guid.Parse(r[0]));
        Assert.Equal(40, results.Count);
        foreach (var (id, result) in results)
        {
            if (skipped.Contains(id))
            {
                Assert.Equal("skipped", result[1]);
                Assert.Contains(id == editedAccount ? "is not a partner" : "is inactive", result[3], StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("applied", result[1]);
            }
        }

        var journal = File.ReadAllText(Path.Combine(temp.Path, ".partnerguard", "runs", "pc.apply.journal"));
        Assert.Contains("is not a partner", journal, StringComparison.Ordinal);
        using var after = EmbeddedOrg.Open(folder, TimeProvider.System);
        foreach (var id in skipped)
        {
            var account = after.Org.GetService().Retrieve("account", id, new ColumnSet("pg_assignedpartnerid", "pg_assignmentrun"));
            Assert.Null(account.GetAttributeValue<EntityReference>("pg_assignedpartnerid"));
            Assert.Null(account.GetAttributeValue<string>("pg_assignmentrun"));
        }
    }

    private static async Task<int> RunAsync(string workingDirectory, StringWriter output, params string[] args)
    {
        var error = new StringWriter();
        var code = await PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(workingDirectory, output, error));
        output.Write(error.ToString());
        return code;
    }
}
