extern alias JsonSchemaNet;

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JsonSchemaNet::Json.Schema;
using PartnerGuard.Integration.Tests.Cli;
using YamlDotNet.RepresentationModel;

namespace PartnerGuard.Integration.Tests.Kubernetes;

/// <summary>
/// The README's Kubernetes recipe (a CronJob whose Job is Indexed, one shard per completion index) is valid against
/// the CronJob batch/v1 schema checked in beside this file (cronjob-batch-v1.schema.json: the fields the recipe uses, as
/// the Kubernetes API reference defines them), and each pod's command line is the one ShardedDistributeTests runs.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Kubernetes");

    [Fact]
    public void ReadmeCronJob_IsValidAgainstTheSchema()
    {
        var manifest = ReadmeManifest();
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Folder, "cronjob-batch-v1.schema.json")));

        var result = schema.Evaluate(manifest, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void Schema_RejectsWhatTheApiServerWould()
    {
        // The schema must be able to fail: each change below is one the API server refuses.
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Folder, "cronjob-batch-v1.schema.json")));
        var edits = new Action<JsonNode>[]
        {
            m => m["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["restartPolicy"] = "Always",
            m => m["spec"]!["jobTemplate"]!["spec"]!.AsObject().Remove("completions"),
            m => m["spec"]!["jobTemplate"]!["spec"]!["completions"] = "4",
            m => m["spec"]!["concurrencyPolicy"] = "Never",
            m => m["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["comand"] = new JsonArray(),
            m => m["apiVersion"] = "batch/v1beta1",
        };

        Assert.All(edits, edit =>
        {
            var manifest = ReadmeManifest();
            edit(manifest);
            Assert.False(schema.Evaluate(manifest).IsValid, manifest.ToJsonString());
        });
    }

    [Fact]
    public void ReadmeCronJob_RunsTheShardTestsCommandLine_OneShardPerCompletionIndex()
    {
        var job = ReadmeManifest()["spec"]!["jobTemplate"]!["spec"]!;
        var pod = job["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var count = job["completions"]!.GetValue<int>();
        Assert.Equal("Indexed", job["completionMode"]!.GetValue<string>());
        Assert.Equal(count, job["parallelism"]!.GetValue<int>());

        // Every mount names a volume of the pod.
        var volumes = pod["volumes"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToHashSet();
        Assert.All(container["volumeMounts"]!.AsArray(), m => Assert.Contains(m!["name"]!.GetValue<string>(), volumes));

        var command = container["command"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Equal(["sh", "-c"], command[..2]);
        Assert.Single(command[2..]);
        for (var index = 0; index < count; index++)
        {
            // What sh makes of the script in the pod with JOB_COMPLETION_INDEX=index (the only expansions it uses).
            var script = command[2]
                .Replace("$((JOB_COMPLETION_INDEX + 1))", (index + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("$JOB_COMPLETION_INDEX", index.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.DoesNotContain("$", script, StringComparison.Ordinal);
            var words = script.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("partnerguard", words[0]);
            var journal = "/journal/shard-" + index.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(ShardedDistributeTests.Arguments(index + 1, count, journal), words[1..]);
        }
    }

    /// <summary>The README's yaml block that declares a CronJob, as JSON.</summary>
    private static JsonNode ReadmeManifest()
    {
        var readme = File.ReadAllText(Path.Combine(Folder, "README.md"));
        var blocks = YamlBlock().Matches(readme).Select(m => m.Groups["yaml"].Value).Where(y => y.Contains("kind: CronJob", StringComparison.Ordinal)).ToList();
        var yaml = Assert.Single(blocks);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return ToJson(Assert.Single(stream.Documents).RootNode)!;
    }

    /// <summary>YAML 1.2 core schema scalars: plain true/false, integers and null are typed; anything quoted is a string.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when scalar.Value is "true" or "false" => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when scalar.Value is "null" or "~" or "" => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidDataException($"Unexpected YAML node {node.NodeType}."),
    };

    private static string Describe(EvaluationResults result) =>
        string.Join(Environment.NewLine, result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    [GeneratedRegex(@"```yaml\r?\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
