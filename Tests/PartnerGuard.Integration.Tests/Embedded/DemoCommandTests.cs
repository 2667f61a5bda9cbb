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
    public async Task Demo_PreviewsEachDealWithCheckChannelBeforeSaving_AndEachSaveAgrees()
    {
        using var temp = new TempDirectory();
        var demoFolder = Path.Combine(temp.Path, "demo");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(new[] { "demo", "--output", demoFolder, "--wave-size", "10" }, EmbeddedContexts.For(temp.Path, output, error));

        var text = output.ToString();
        Assert.True(code == ExitCodes.Done, $"exit {code}: {error}");
        const string preview = "  Preview before saving (pg_CheckChannel, what the form shows): ";
        var expected = new (string Step, string Preview, string Save)[]
        {
            ("Step 3.", preview + "Blocked (PG-001). Reason: \"This opportunity needs a partner.", "  Refused (HTTP 400), nothing saved."),
            ("Step 4.", preview + $"Partner. Reason: \"Sold through partner {DemoDataSet.AssignedPartnerName}, attached automatically", "  Saved. Channel: Partner."),
            ("Step 5.", preview + "Direct. Reason: \"Handled direct by rule 'Enterprise (demo)'", "  Saved. Channel: Direct."),
        };
        foreach (var (step, previewLine, saveLine) in expected)
        {
            // Within the step: the preview, then the save's outcome, then the agreement, in that order.
            var lines = StepLines(text, step);
            var previewAt = Array.FindIndex(lines, l => l.StartsWith(previewLine, StringComparison.Ordinal));
            var saveAt = Array.FindIndex(lines, l => l.StartsWith(saveLine, StringComparison.Ordinal));
            var agreedAt = Array.IndexOf(lines, "  The save agreed with the preview.");
            Assert.True(previewAt >= 0 && saveAt > previewAt && agreedAt > saveAt, $"{step} out of order or missing:\n{string.Join('\n', lines)}");
        }

        Assert.Equal(3, CountOf(text, "The save agreed with the preview."));
        Assert.DoesNotContain("!!", text);
        Assert.Equal(string.Empty, error.ToString());
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

    private static string[] StepLines(string text, string step)
    {
        var start = text.IndexOf(Environment.NewLine + step, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{step} is missing");
        var end = text.IndexOf(Environment.NewLine + "Step ", start + step.Length, StringComparison.Ordinal);
        return text[start..(end < 0 ? text.Length : end)].Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
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
