using System.Text.Json.Serialization;

namespace PartnerGuard.Integration.Domain.Journal;

/// <summary>
/// One line of the journal (JSON Lines). Kinds: "start" (run, operation, plan hash), "intent" (a batch about to
/// be sent, with every account's prior and target state), "outcome" (results known for accounts of a batch),
/// "finish". Property names are short and stable: journals outlive the build that wrote them.
/// </summary>
internal sealed class JournalRecord
{
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("run")]
    public string? Run { get; set; }

    [JsonPropertyName("operation")]
    public string? Operation { get; set; }

    [JsonPropertyName("plan_sha256")]
    public string? PlanSha256 { get; set; }

    [JsonPropertyName("at")]
    public DateTimeOffset? At { get; set; }

    [JsonPropertyName("batch")]
    public int? Batch { get; set; }

    [JsonPropertyName("changes")]
    public List<JournalChange>? Changes { get; set; }

    [JsonPropertyName("results")]
    public List<JournalResult>? Results { get; set; }
}

internal sealed class JournalChange
{
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    [JsonPropertyName("prior")]
    public JournalState Prior { get; set; } = new();

    [JsonPropertyName("target")]
    public JournalState Target { get; set; } = new();
}

internal sealed class JournalState
{
    [JsonPropertyName("partner")]
    public Guid? Partner { get; set; }

    [JsonPropertyName("owner")]
    public Guid? Owner { get; set; }

    [JsonPropertyName("owner_table")]
    public string? OwnerTable { get; set; }

    [JsonPropertyName("assigned_on")]
    public DateTimeOffset? AssignedOn { get; set; }

    [JsonPropertyName("assignment_run")]
    public string? AssignmentRun { get; set; }

    public static JournalState From(AccountState state) => new()
    {
        Partner = state.PartnerId,
        Owner = state.OwnerId,
        OwnerTable = state.OwnerTable,
        AssignedOn = state.AssignedOn,
        AssignmentRun = state.AssignmentRun,
    };

    public AccountState ToState() => new(Partner, Owner, OwnerTable, AssignedOn, AssignmentRun);
}

internal sealed class JournalResult
{
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    [JsonPropertyName("outcome")]
    public string Outcome { get; set; } = string.Empty;

    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalRecord))]
internal sealed partial class JournalJsonContext : JsonSerializerContext
{
}
