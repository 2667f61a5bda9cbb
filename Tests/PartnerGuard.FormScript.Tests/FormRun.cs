using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PartnerGuard.Testing;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// One run of a form script in headless chromium: the harness page builds an xrm-mock opportunity form with the
/// given values, loads the script, plays the steps (each one waits until the script has handled its answer unless
/// it is overtaken by the next) and reports the form's state, parsed here.
/// </summary>
internal static partial class FormRun
{
    public const string OpportunityScript = "pg_/scripts/opportunity.js";

    public static async Task<FormState> RunAsync(HarnessServer server, JsonObject form, params JsonObject[] steps)
    {
        FormScriptPaths.XrmMockBundle();
        var scenario = new JsonObject { ["form"] = form, ["steps"] = new JsonArray(steps) };
        using var scratch = new TempDirectory();
        var dom = await Chromium.DumpDomAsync(server.Page(OpportunityScript, scenario.ToJsonString()), scratch.Path, untilNetworkIdle: true);

        var result = ResultPattern().Match(dom);
        Assert.True(result.Success, "The harness page wrote no result; its DOM was:\n" + dom);
        var text = WebUtility.HtmlDecode(result.Groups["text"].Value);
        Assert.True(result.Groups["state"].Value == "done", "The harness page failed: " + text);
        return JsonSerializer.Deserialize<FormState>(text, JsonOptions)!;
    }

    /// <summary>
    /// The harness page showing only the seller's view of the form (the notification above the customer, partner and
    /// value), as drawn once the script has handled its answers: the picture in README's seller section.
    /// </summary>
    public static Uri SellerViewPage(HarnessServer server, JsonObject form, params JsonObject[] steps)
    {
        FormScriptPaths.XrmMockBundle();
        var scenario = new JsonObject { ["form"] = form, ["steps"] = new JsonArray(steps) };
        return new Uri(server.Page(OpportunityScript, scenario.ToJsonString()).AbsoluteUri + "&view=seller");
    }

    public static JsonObject Load() => new() { ["event"] = "load" };

    public static JsonObject Set(string column, JsonNode? value, bool overtakenByNext = false) =>
        new() { ["set"] = column, ["value"] = value, ["overtakenBy"] = overtakenByNext };

    /// <summary>A lookup value as the form holds it (ids in braces, as the client API returns them).</summary>
    public static JsonArray Lookup(Guid id, string name, string entityType) =>
        [new JsonObject { ["id"] = "{" + id.ToString().ToUpperInvariant() + "}", ["name"] = name, ["entityType"] = entityType }];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("""<pre id="result" data-state="(?<state>\w+)">(?<text>.*?)</pre>""", RegexOptions.Singleline)]
    private static partial Regex ResultPattern();
}

internal sealed record FormState(
    IReadOnlyList<FormNotification> Notifications,
    LookupState? Partner,
    IReadOnlyList<SentRequest> Requests,
    IReadOnlyList<string> NewGlobals,
    int OnSaveHandlers);

internal sealed record FormNotification(string Message, string Level, string UniqueId);

internal sealed record LookupState(string Id, string Name, string EntityType);

internal sealed record SentRequest(string Method, string Url, int Status, string? Body);
