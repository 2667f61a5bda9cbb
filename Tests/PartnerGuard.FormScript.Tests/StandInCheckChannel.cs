using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// STAND-IN for pg_CheckChannel, kept ONLY for what the real server cannot be made to do on purpose: hold an answer back
/// until a later one has been answered (stale answers) and fail with a server error. It answers
/// GET /api/data/v9.2/pg_CheckChannel(...) in the wire format of solution/CheckChannel.contract.md with answers the test
/// scripts, and records the calls. Every policy case runs against the emulator's Web API and the real plug-in
/// (<see cref="EmulatedWebApi"/>, <see cref="ChannelPreviewThroughTheEmulatorTests"/>).
/// </summary>
internal sealed partial class StandInCheckChannel
{
    private readonly Func<CheckChannelCall, Answer> answer;
    private readonly ConcurrentQueue<CheckChannelCall> calls = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> answered = new();

    public StandInCheckChannel(Func<CheckChannelCall, Answer> answer) => this.answer = answer;

    public IReadOnlyCollection<CheckChannelCall> Calls => calls.ToArray();

    public async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var match = FunctionPattern().Match(request.Url!.AbsolutePath);
        if (request.HttpMethod != "GET" || !match.Success)
        {
            await WriteAsync(context.Response, 404, Error("0x80060888", "Resource not found for the segment."));
            return;
        }

        var call = CheckChannelCall.Parse(match.Groups["parameters"].Value, request.Url.Query);
        calls.Enqueue(call);
        var reply = answer(call);
        if (reply.HoldUntilAnswered is { } customer)
        {
            // Deterministic ordering, no sleeps: this answer leaves only after the call for `customer` was answered.
            await Answered(customer).Task;
        }

        await WriteAsync(context.Response, reply.Status, reply.Body);
        Answered(call.Customer.Id).TrySetResult();
    }

    public static Answer Decision(string outcome, string code, string reason, (Guid Id, string Name)? partner = null, Guid? directSalesRule = null) =>
        new(200, new JsonObject
        {
            ["@odata.context"] = "http://127.0.0.1/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.pg_CheckChannelResponse",
            ["Outcome"] = outcome,
            ["Code"] = code,
            ["Reason"] = reason,
            ["Partner"] = partner is { } p ? new JsonObject { ["@odata.type"] = "#Microsoft.Dynamics.CRM.account", ["accountid"] = p.Id.ToString() } : null,
            ["PartnerName"] = partner?.Name ?? string.Empty,
            ["DirectSalesRule"] = directSalesRule is { } r ? new JsonObject { ["@odata.type"] = "#Microsoft.Dynamics.CRM.pg_directsalesrule", ["pg_directsalesruleid"] = r.ToString() } : null,
        }.ToJsonString());

    public static Answer Failure(int status, string message) => new(status, Error("0x80040265", message));

    private static string Error(string code, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString();

    private static async Task WriteAsync(HttpListenerResponse response, int status, string body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; odata.metadata=minimal";
        response.Headers["OData-Version"] = "4.0";
        var bytes = Encoding.UTF8.GetBytes(body);
        await response.OutputStream.WriteAsync(bytes);
    }

    private TaskCompletionSource Answered(Guid customer) =>
        answered.GetOrAdd(customer, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    [GeneratedRegex(@"^/api/data/v9\.2/pg_CheckChannel\((?<parameters>[^)]*)\)$")]
    private static partial Regex FunctionPattern();

    /// <summary>A scripted answer; <see cref="HoldUntilAnswered"/> names a customer whose call must be answered first.</summary>
    internal sealed record Answer(int Status, string Body, Guid? HoldUntilAnswered = null);
}

/// <summary>One pg_CheckChannel call as the Web API received it: the entity references resolved from their aliases.</summary>
internal sealed partial record CheckChannelCall(
    string ParameterList, EntityRef Customer, EntityRef? Partner, decimal? EstimatedValue, EntityRef? TransactionCurrency)
{
    public static CheckChannelCall Parse(string parameterList, string query)
    {
        var aliases = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => Uri.UnescapeDataString(pair[0]), pair => Uri.UnescapeDataString(pair[1]), StringComparer.Ordinal);
        var parameters = parameterList.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => aliases[pair[1]], StringComparer.Ordinal);

        EntityRef? Reference(string name) => parameters.TryGetValue(name, out var json) ? EntityRef.FromODataId(json) : null;

        return new CheckChannelCall(
            parameterList,
            Reference("Customer") ?? throw new InvalidOperationException("pg_CheckChannel was called without Customer."),
            Reference("Partner"),
            parameters.TryGetValue("EstimatedValue", out var value) ? decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null,
            Reference("TransactionCurrency"));
    }
}

internal sealed partial record EntityRef(string EntitySet, Guid Id)
{
    public static EntityRef FromODataId(string json)
    {
        var id = JsonNode.Parse(json)!["@odata.id"]!.GetValue<string>();
        var match = ODataIdPattern().Match(id);
        if (!match.Success)
        {
            throw new JsonException($"'{id}' is not an entity reference of the form set(guid).");
        }

        return new EntityRef(match.Groups["set"].Value, Guid.Parse(match.Groups["id"].Value));
    }

    [GeneratedRegex(@"^(?<set>[a-z_]+)\((?<id>[0-9a-fA-F-]{36})\)$")]
    private static partial Regex ODataIdPattern();
}
