using System.Xml.Linq;
using PartnerGuard.Packer;
using PartnerGuard.Solution.Tests.Fixtures;
using PartnerGuard.Testing;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// The pack fails on a violation of Microsoft's plug-in and web-resource best practices, naming the rule, the file and the
/// line (issue #18 item 6). Each case is a small violating fixture; the product's own source and registrations pass.
/// </summary>
public sealed class BestPracticeTests
{
    private const string Usings = "using System; using System.Threading; using System.Threading.Tasks; using Microsoft.Xrm.Sdk; using Microsoft.Xrm.Sdk.Messages; using Microsoft.Xrm.Sdk.Query;\n";

    // Each body is placed on line 3 of Plugins/Violation.cs, inside a plug-in class.
    public static TheoryData<string, string> PluginCode => new()
    {
        { "il-avoid-batch-plugin", "public void Execute(IServiceProvider s) { var batch = new ExecuteMultipleRequest(); }" },
        { "il-avoid-parallel-plugin", "public void Execute(IServiceProvider s) { Parallel.For(0, 2, i => { }); }" },
        { "il-avoid-parallel-plugin", "public void Execute(IServiceProvider s) { Task.Run(() => { }); }" },
        { "il-avoid-parallel-plugin", "public void Execute(IServiceProvider s) { new Thread(() => { }).Start(); }" },
        { "il-avoid-lock-plugin", "public void Execute(IServiceProvider s) { lock (this) { } }" },
        { "il-avoid-stateful-plugin", "private int _calls; public void Execute(IServiceProvider s) { _calls++; }" },
        { "il-specify-column", "public void Execute(IServiceProvider s) { var all = new ColumnSet(true); }" },
        { "il-specify-column", "public void Execute(IServiceProvider s) { var q = new QueryExpression(\"account\"); q.ColumnSet.AllColumns = true; }" },
        { "il-use-invalidpluginexecutionexception", "public void Execute(IServiceProvider s) { throw new InvalidOperationException(\"Pick a partner.\"); }" },
    };

    [Theory]
    [MemberData(nameof(PluginCode))]
    public void PluginSource_ViolatingARule_FailsThePackNamingTheRuleFileAndLine(string rule, string body)
    {
        using var fixture = new SolutionFixture();
        using var sources = new TempDirectory();
        var file = Path.Combine(sources.Path, "Violation.cs");
        File.WriteAllText(file, Usings + "namespace Fixture;\npublic sealed class Violating : IPlugin {\n" + body + "\n}\n");

        var ex = Assert.Throws<SolutionPackException>(() => SolutionPacker.Pack(fixture.Options() with { PluginSourceDirectories = [sources.Path] }));

        var problem = Assert.Single(ex.Problems);
        Assert.StartsWith(rule + " (", problem.Message, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(file), problem.File);
        Assert.Equal(4, problem.Line);
        Assert.Contains($"Violation.cs (line 4): {rule}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PackCommand_WithPluginSource_ReportsTheRuleAsAnMsBuildErrorOnTheSourceLine()
    {
        using var fixture = new SolutionFixture();
        using var sources = new TempDirectory();
        var file = Path.Combine(sources.Path, "Violation.cs");
        File.WriteAllText(file, Usings + "namespace Fixture;\npublic sealed class Violating : IPlugin {\npublic void Execute(IServiceProvider s) { lock (this) { } }\n}\n");
        var error = new StringWriter();

        var exit = PackCommand.Run(["--source", fixture.Source, "--out", fixture.Output, "--plugin", TestPaths.TestAssemblyDll, "--plugin-source", sources.Path, "--allow-stand-in"], new StringWriter(), error);

        Assert.Equal(1, exit);
        Assert.Contains($"{Path.GetFullPath(file)}(4): error PGSOL002: il-avoid-lock-plugin (Avoid usage of lock in plug-ins)", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.Output));
    }

    [Fact]
    public void PluginSource_ClassesThatAreNotPlugins_MayThrowAndHoldState()
    {
        using var fixture = new SolutionFixture();
        using var sources = new TempDirectory();
        File.WriteAllText(Path.Combine(sources.Path, "Policy.cs"),
            Usings + "namespace Fixture;\npublic sealed class Counter { private int _n; public void Add() { if (_n < 0) throw new InvalidOperationException(); _n++; } }\n");

        SolutionPacker.Pack(fixture.Options() with { PluginSourceDirectories = [sources.Path] });

        Assert.NotEmpty(Directory.GetFiles(fixture.Output, "*.zip"));
    }

    [Fact]
    public void TheProductPluginSource_PassesEveryCheck()
    {
        using var fixture = new SolutionFixture();

        var result = SolutionPacker.Pack(fixture.Options() with { PluginSourceDirectories = [Path.Combine(RepoPaths.Root, "Plugins")] });

        Assert.Equal(2, result.WrittenFiles.Count);
    }

    [Fact]
    public void UpdateStepWithoutFilteringAttributes_FailsAsMetaAvoidRegNoAttribute()
    {
        using var fixture = new SolutionFixture();
        var step = fixture.StepFile("Update", "pg_directsalesrule");
        var document = XDocument.Load(step, LoadOptions.SetLineInfo);
        document.Root!.Element("FilteringAttributes")!.Value = "";
        document.Save(step);

        var ex = Assert.Throws<SolutionPackException>(() => SolutionPacker.Pack(fixture.Options()));

        var problem = Assert.Single(ex.Problems);
        Assert.StartsWith("meta-avoid-reg-no-attribute (Include filtering attributes with plug-in registration)", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith(Path.GetFileName(step), problem.File, StringComparison.Ordinal);
        Assert.Equal(9, problem.Line);
    }

    [Fact]
    public void TheSameStepRegisteredTwice_FailsAsMetaRemoveDupReg()
    {
        using var fixture = new SolutionFixture();
        var step = fixture.StepFile("Create", "opportunity");
        var copy = XDocument.Load(step);
        const string Id = "{0b8e4c1a-6f0d-4b5e-8a9c-3d2f1e0a7b64}";
        copy.Root!.SetAttributeValue("SdkMessageProcessingStepId", Id);
        copy.Save(fixture.At($"SdkMessageProcessingSteps/{Id}.xml"));
        fixture.Edit("Other/Solution.xml", d => d.Descendants("RootComponents").Single().Add(
            new XElement("RootComponent", new XAttribute("type", "92"), new XAttribute("id", Id), new XAttribute("behavior", "0"))));

        var ex = Assert.Throws<SolutionPackException>(() => SolutionPacker.Pack(fixture.Options()));

        Assert.Contains(ex.Problems, p => p.Message.StartsWith("meta-remove-dup-reg (", StringComparison.Ordinal) && p.Line is not null);
    }

    // Each script is WebResources/pg_/form.js; the violating statement is on line 2 ("use strict" on line 1 unless the case is strict mode).
    public static TheoryData<string, string, int> WebResourceCode => new()
    {
        { "web-use-strict-mode", "function onLoad(executionContext) {\n}\n", 1 },
        { "web-use-async", "\"use strict\";\nvar r = new XMLHttpRequest(); r.open(\"GET\", url, false);\n", 2 },
        { "web-use-client-context", "\"use strict\";\nfunction onLoad() { Xrm.Page.getAttribute(\"name\"); }\n", 2 },
        { "web-avoid-crm2011-service-odata", "\"use strict\";\nvar url = base + \"/XRMServices/2011/OrganizationData.svc/AccountSet\";\n", 2 },
        { "web-avoid-crm2011-service-soap", "\"use strict\";\nvar url = base + \"/XRMServices/2011/Organization.svc/web\";\n", 2 },
        { "web-avoid-dom-form", "\"use strict\";\nfunction onLoad() { document.getElementById(\"name\").style.color = \"red\"; }\n", 2 },
    };

    [Theory]
    [MemberData(nameof(WebResourceCode))]
    public void WebResource_ViolatingARule_FailsThePackNamingTheRuleFileAndLine(string rule, string script, int line)
    {
        using var fixture = new SolutionFixture();
        Directory.CreateDirectory(fixture.At("WebResources/pg_"));
        File.WriteAllText(fixture.At("WebResources/pg_/form.js"), script);

        var ex = Assert.Throws<SolutionPackException>(() => SolutionPacker.Pack(fixture.Options()));

        var problem = Assert.Single(ex.Problems, p => p.File == "WebResources/pg_/form.js");
        Assert.StartsWith(rule + " (", problem.Message, StringComparison.Ordinal);
        Assert.Equal(line, problem.Line);
    }
}
