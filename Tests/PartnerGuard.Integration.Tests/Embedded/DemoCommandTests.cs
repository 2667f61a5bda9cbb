using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Commands;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Support;

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

    [Fact(Skip = "Blocked outside Embedded/: the console's plan reads the settings with $expand (Integration/Dataverse/PlanningSource.cs), which the emulator's Web API refuses with HTTP 400 (Emulator/WebApi/ODataQueryTranslator.cs). Unskip when either side changes.")]
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
        Assert.Contains("Done. The demo org, plan, journal and reports are in " + demoFolder, text);
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
}
