using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Tests.Support;

namespace PartnerGuard.Emulator.Tests.Solution;

/// <summary>Reading step registrations from SdkMessageProcessingSteps/*.xml (solution-format-notes.md §1.6).</summary>
public sealed class SolutionLoaderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pg-solution-" + Guid.NewGuid().ToString("N"));

    public SolutionLoaderTests() => RecordingPlugin.Reset();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private void WriteStep(string name, string body)
    {
        var folder = Path.Combine(_root, "SdkMessageProcessingSteps");
        Directory.CreateDirectory(folder);
        var id = "{" + Guid.NewGuid() + "}";
        File.WriteAllText(Path.Combine(folder, id + ".xml"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" +
            $"<SdkMessageProcessingStep Name=\"{name}\" SdkMessageProcessingStepId=\"{id}\">\n{body}\n</SdkMessageProcessingStep>\n");
    }

    [Fact]
    public void Steps_AreRegisteredWithStageModeRankFilteringImagesAndConfiguration()
    {
        var type = typeof(RecordingPlugin).AssemblyQualifiedName;
        WriteStep("Recording: Update of account", $"""
              <SdkMessageId>20bebb1b-ea3e-db11-86a7-000a3a5473e8</SdkMessageId>
              <PluginTypeName>{type}</PluginTypeName>
              <PrimaryEntity>account</PrimaryEntity>
              <Configuration>from-xml</Configuration>
              <FilteringAttributes>name, telephone1</FilteringAttributes>
              <Mode>0</Mode>
              <Rank>3</Rank>
              <Stage>40</Stage>
              <SdkMessageProcessingStepImages>
                <SdkMessageProcessingStepImage Name="Before">
                  <Attributes>name</Attributes>
                  <EntityAlias>Before</EntityAlias>
                  <ImageType>0</ImageType>
                </SdkMessageProcessingStepImage>
              </SdkMessageProcessingStepImages>
            """);
        // A message the loader does not know by id is read from the registration tool's step name.
        WriteStep("Recording: Delete of account", $"""
              <SdkMessageId>00000000-0000-0000-0000-000000000001</SdkMessageId>
              <PluginTypeName>{type}</PluginTypeName>
              <PrimaryEntity>account</PrimaryEntity>
              <Mode>1</Mode>
              <Stage>40</Stage>
            """);

        var org = DataverseOrg.Create();
        var result = org.LoadSolution(_root);
        Assert.Equal(2, result.Steps.Count);
        var update = Assert.Single(result.Steps, s => s.Message == "Update");
        Assert.Equal((PipelineStage.PostOperation, StepMode.Synchronous, 3), (update.Stage, update.Mode, update.Rank));
        Assert.Equal(new[] { "name", "telephone1" }, update.FilteringAttributes);
        Assert.Equal("from-xml", update.UnsecureConfiguration);
        Assert.Equal(StepMode.Asynchronous, Assert.Single(result.Steps, s => s.Message == "Delete").Mode);

        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "Before" });
        service.Update(new Entity("account", id) { ["accountnumber"] = "not filtered" });
        Assert.Empty(RecordingPlugin.Calls);
        service.Update(new Entity("account", id) { ["name"] = "After" });
        Assert.Equal(new[] { "from-xml:Update:40:1" }, RecordingPlugin.Calls);
        Assert.Equal("Before", RecordingPlugin.Contexts[0].PreEntityImages["Before"]["name"]);
    }

    [Theory]
    [InlineData("<PluginTypeName>No.Such.Plugin, NoSuchAssembly</PluginTypeName><PrimaryEntity>account</PrimaryEntity><Stage>20</Stage><SdkMessageId>9ebdbb1b-ea3e-db11-86a7-000a3a5473e8</SdkMessageId>", "No.Such.Plugin")]
    [InlineData("<PluginTypeName>PartnerGuard.Emulator.Tests.Support.RecordingPlugin, PartnerGuard.Emulator.Tests</PluginTypeName><PrimaryEntity>account</PrimaryEntity><Stage>30</Stage><SdkMessageId>9ebdbb1b-ea3e-db11-86a7-000a3a5473e8</SdkMessageId>", "stage 30")]
    public void BadSteps_FailWithTheFileNamed(string body, string mentioned)
    {
        WriteStep("Bad", body);
        var exception = Assert.Throws<InvalidDataException>(() => DataverseOrg.Create().LoadSolution(_root));
        Assert.Contains(mentioned, exception.Message);
        Assert.Contains("SdkMessageProcessingSteps", exception.Message);
    }

    [Fact]
    public void NotWellFormedXml_FailsWithTheFileAndLineNamed()
    {
        var folder = Path.Combine(_root, "OptionSets");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pg_broken.xml"), "<optionset Name=\"pg_broken\">\n<options>\n</optionset>\n");

        var exception = Assert.Throws<InvalidDataException>(() => DataverseOrg.Create().LoadSolution(_root));
        Assert.Contains("OptionSets/pg_broken.xml (line 3)", exception.Message);
        Assert.Contains("not well-formed", exception.Message);
    }

    [Fact]
    public void MissingFolder_FailsClearly()
    {
        Assert.Throws<DirectoryNotFoundException>(() => DataverseOrg.Create().LoadSolution(Path.Combine(_root, "nope")));
    }
}
