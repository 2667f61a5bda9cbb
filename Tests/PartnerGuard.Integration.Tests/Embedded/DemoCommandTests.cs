using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>`partnerguard demo`: the story on a fresh org in its own folder.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_TellsTheStory_RulesThenBlockedAttachedAndDirectDeals_OnItsOwnOrg()
    {
        using var temp = new TempDirectory();
        var demoFolder = Path.Combine(temp.Path, "demo");
        var output = new StringWriter();

        await PartnerGuardCli.InvokeAsync(new[] { "demo", "--output", demoFolder, "--wave-size", "50" }, EmbeddedContexts.For(temp.Path, output, new StringWriter()));

        var text = output.ToString();
        Assert.StartsWith("PartnerGuard demo, in " + demoFolder, text);
        Assert.Contains("Org: the embedded local org in " + EmbeddedOrg.FolderFor(demoFolder), text);
        Assert.Contains(DemoDataSet.EnterpriseRuleName, text);
        Assert.Contains("Refused (HTTP 400), nothing saved", text);
        Assert.Contains("(PartnerGuard PG-001)", text);
        Assert.Contains($"Channel: Partner. Reason recorded on the deal: \"Sold through partner {DemoDataSet.AssignedPartnerName}, attached automatically", text);
        Assert.Contains("Channel: Direct. Reason recorded on the deal: \"Handled direct by rule 'Enterprise (demo)'", text);
        Assert.Contains("$ partnerguard plan --strategy balanced --max-accounts 50 --run-id demo-wave-1 --out demo-wave-1.csv", text);
        Assert.True(File.Exists(Path.Combine(EmbeddedOrg.FolderFor(demoFolder), EmbeddedOrg.StateFileName)));

        // The demo never touches the working directory's own local org.
        Assert.False(Directory.Exists(EmbeddedOrg.FolderFor(temp.Path)));
    }

    [Fact]
    public async Task Demo_PlansAppliesAndUndoesAWave_AndExitsZero()
    {
        using var temp = new TempDirectory();
        var demoFolder = Path.Combine(temp.Path, "demo");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(new[] { "demo", "--output", demoFolder, "--wave-size", "50" }, EmbeddedContexts.For(temp.Path, output, error));

        var text = output.ToString();
        Assert.True(code == ExitCodes.Done, $"exit {code}: {error}");
        Assert.Contains("$ partnerguard apply --plan demo-wave-1.csv", text);
        Assert.Contains("$ partnerguard undo --run demo-wave-1", text);
        Assert.Equal(2, CountOf(text, "50 applied, 0 failed, 0 skipped, 0 not finished."));
        Assert.Contains("Done. The demo org, plan, journal and reports are in " + demoFolder, text);

        // The saved demo org: the undone wave left no account stamped with its run, and the three story deals exist
        // except the refused one.
        using var org = EmbeddedOrg.Open(EmbeddedOrg.FolderFor(demoFolder), TimeProvider.System);
        var stamped = new Microsoft.Xrm.Sdk.Query.QueryExpression("account") { ColumnSet = new Microsoft.Xrm.Sdk.Query.ColumnSet("accountid") };
        stamped.Criteria.AddCondition("pg_assignmentrun", Microsoft.Xrm.Sdk.Query.ConditionOperator.Equal, DemoCommand.RunId);
        Assert.Empty(org.Org.GetService().RetrieveMultiple(stamped).Entities);
        Assert.Equal(DemoDataSet.OpenDealCount + 2, org.Org.Count("opportunity"));
    }

    [Fact]
    public async Task Demo_IntoAFolderThatIsNotEmpty_IsBadUsageAndWritesNothing()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("keep.txt"), "mine");
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(new[] { "demo", "--output", temp.Path }, EmbeddedContexts.For(temp.Path, new StringWriter(), error));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("is not empty", error.ToString());
        Assert.Equal(new[] { temp.File("keep.txt") }, Directory.GetFileSystemEntries(temp.Path));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
