using System.Text.Json.Serialization;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>The JSON shape of a plan, for reading. Unknown properties are errors (they are usually typos).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PlanDocument
{
    [JsonPropertyName("run_id")]
    [JsonRequired]
    public string RunId { get; set; } = string.Empty;

    [JsonPropertyName("created_on")]
    [JsonRequired]
    public string CreatedOn { get; set; } = string.Empty;

    [JsonPropertyName("strategy")]
    [JsonRequired]
    public string Strategy { get; set; } = string.Empty;

    [JsonPropertyName("parameters")]
    public Dictionary<string, string> Parameters { get; set; } = [];

    [JsonPropertyName("rows")]
    [JsonRequired]
    public List<PlanRowDocument> Rows { get; set; } = [];
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PlanRowDocument
{
    [JsonPropertyName("account_id")]
    public string? AccountId { get; set; }

    [JsonPropertyName("account_name")]
    public string? AccountName { get; set; }

    [JsonPropertyName("account_number")]
    public string? AccountNumber { get; set; }

    [JsonPropertyName("country")]
    public string? Country { get; set; }

    [JsonPropertyName("current_owner_id")]
    public string? CurrentOwnerId { get; set; }

    [JsonPropertyName("current_owner_table")]
    public string? CurrentOwnerTable { get; set; }

    [JsonPropertyName("previous_partner_id")]
    public string? PreviousPartnerId { get; set; }

    [JsonPropertyName("new_partner_id")]
    public string? NewPartnerId { get; set; }

    [JsonPropertyName("new_partner_name")]
    public string? NewPartnerName { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }
}

[JsonSerializable(typeof(PlanDocument))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
internal sealed partial class PlanJsonContext : JsonSerializerContext
{
}
