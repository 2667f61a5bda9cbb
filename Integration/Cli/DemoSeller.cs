using System.Globalization;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Dataverse.WebApi.Batch;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// What a seller does in the demo, over the Web API as the browser would: asks pg_CheckChannel for the channel
/// preview the opportunity form script shows (a GET function with parameter aliases, the shape the script sends;
/// solution/CheckChannel.contract.md), then saves the deal (POST opportunities) and reads back what the plug-in
/// recorded. <see cref="Disagreement"/> compares the two: the preview must never promise what the save does not do.
/// </summary>
internal sealed class DemoSeller(DataverseWebApiClient client)
{
    /// <summary>The estimated value every demo deal is entered with.</summary>
    public const decimal EstimatedValue = 85_000m;

    /// <summary>The preview, before saving: what pg_CheckChannel answers for the deal's customer and value.</summary>
    public async Task<ChannelPreview> PreviewAsync(string customerName, CancellationToken cancellationToken)
    {
        var accounts = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var customer = await FindCustomerAsync(accounts, customerName, cancellationToken).ConfigureAwait(false);
        var customerAlias = Uri.EscapeDataString($"{{\"@odata.id\":\"{accounts}({customer:D})\"}}");
        var value = EstimatedValue.ToString(CultureInfo.InvariantCulture);
        var answer = await client.CallFunctionAsync(
            $"pg_CheckChannel(Customer=@p1,EstimatedValue=@p2)?@p1={customerAlias}&@p2={value}",
            cancellationToken).ConfigureAwait(false);
        return new ChannelPreview(
            Text(answer, "Outcome"),
            Text(answer, "Code"),
            Text(answer, "Reason"),
            answer["Partner"] is JsonObject partner && partner[AccountColumns.Id]?.GetValue<string>() is { } id ? Guid.Parse(id) : null,
            Text(answer, "PartnerName"));
    }

    /// <summary>Saves the deal without a partner, as a seller would, and reads back the decision the plug-in recorded.</summary>
    public async Task<SavedDeal> SaveAsync(string customerName, string topic, CancellationToken cancellationToken)
    {
        var accounts = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var opportunities = await client.GetEntitySetNameAsync(OpportunityColumns.Table, cancellationToken).ConfigureAwait(false);
        var customerBind = await client.GetLookupNavigationNameAsync(OpportunityColumns.Table, OpportunityColumns.CustomerId, AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var customer = await FindCustomerAsync(accounts, customerName, cancellationToken).ConfigureAwait(false);

        var body = new JsonObject
        {
            ["name"] = $"{customerName.Replace(" " + DemoDataSet.Label, string.Empty, StringComparison.Ordinal)} – {topic} {DemoDataSet.Label}",
            [OpportunityColumns.EstimatedValue] = EstimatedValue,
            [$"{customerBind}@odata.bind"] = $"/{accounts}({customer:D})",
        };
        var responses = await client.ExecuteBatchAsync(
            new BatchRequest(new BatchItem[] { new BatchSingle(new BatchOperation(HttpMethod.Post, opportunities, body)) }, ContinueOnError: true),
            cancellationToken).ConfigureAwait(false);
        var outcome = responses.Single();
        if (outcome.Error is { } error)
        {
            return new SavedDeal(error, null, null, null);
        }

        var response = outcome.Response ?? throw new InvalidOperationException("The batch answered the deal's creation with no response.");
        var entityId = response.Headers.FirstOrDefault(h => h.Key.Equals("OData-EntityId", StringComparison.OrdinalIgnoreCase)).Value
            ?? throw new InvalidOperationException("The created deal's OData-EntityId header is missing.");
        var dealId = Guid.Parse(entityId[(entityId.LastIndexOf('(') + 1)..entityId.LastIndexOf(')')]);
        var partnerValue = WebApiRow.ValueOf(OpportunityColumns.PartnerId);
        var stored = await client.RetrieveAsync(opportunities, dealId, $"{OpportunityColumns.Channel},{OpportunityColumns.ChannelReason},{partnerValue}", cancellationToken).ConfigureAwait(false);
        var channel = stored?[OpportunityColumns.Channel]?.GetValue<int>() switch
        {
            ChannelOptionValues.Partner => "Partner",
            ChannelOptionValues.Direct => "Direct",
            ChannelOptionValues.Unresolved => "Unresolved",
            ChannelOptionValues.Bypassed => "Bypassed",
            var other => other?.ToString(CultureInfo.InvariantCulture) ?? "none",
        };
        var partnerId = stored?[partnerValue]?.GetValue<string>() is { } saved ? Guid.Parse(saved) : (Guid?)null;
        return new SavedDeal(null, channel, stored?[OpportunityColumns.ChannelReason]?.GetValue<string>(), partnerId);
    }

    /// <summary>
    /// Where the save did not do what the preview said, in words; null when they agree. A preview that blocks agrees
    /// with a refused save carrying the same catalogue code; any other preview agrees with a save that recorded the
    /// same channel, the same reason and the same partner.
    /// </summary>
    public static string? Disagreement(ChannelPreview preview, SavedDeal saved)
    {
        if (preview.Outcome == "Blocked")
        {
            return saved.Error is { } refusal
                ? (refusal.Message.Contains(preview.Code, StringComparison.Ordinal) ? null : $"the preview blocked with {preview.Code} but the save was refused with: {refusal.Message}")
                : $"the preview blocked with {preview.Code} but the deal was saved with channel {saved.Channel}";
        }

        if (saved.Error is { } error)
        {
            return $"the preview said {preview.Outcome} but the save was refused (HTTP {(int)error.Status}): {error.Message}";
        }

        if (saved.Channel != preview.Outcome)
        {
            return $"the preview said {preview.Outcome} but the deal was saved with channel {saved.Channel}";
        }

        if (saved.Reason != preview.Reason)
        {
            return $"the preview's reason \"{preview.Reason}\" differs from the reason recorded on the deal, \"{saved.Reason}\"";
        }

        return saved.PartnerId != preview.PartnerId
            ? $"the preview named partner {preview.PartnerId?.ToString("D") ?? "none"} but the deal was saved with partner {saved.PartnerId?.ToString("D") ?? "none"}"
            : null;
    }

    private async Task<Guid> FindCustomerAsync(string accounts, string customerName, CancellationToken cancellationToken)
    {
        Guid? customer = null;
        await foreach (var id in client.QueryAsync(
            $"{accounts}?$select={AccountColumns.Id}&$filter={AccountColumns.Name} eq '{customerName.Replace("'", "''", StringComparison.Ordinal)}'",
            row => row.GetProperty(AccountColumns.Id).GetGuid(),
            cancellationToken).ConfigureAwait(false))
        {
            customer = id;
        }

        return customer ?? throw new InvalidOperationException($"The demo customer '{customerName}' is missing from the demo data set.");
    }

    private static string Text(JsonObject answer, string property) => answer[property]?.GetValue<string>() ?? string.Empty;
}

/// <summary>What pg_CheckChannel answered before the save.</summary>
internal sealed record ChannelPreview(string Outcome, string Code, string Reason, Guid? PartnerId, string PartnerName);

/// <summary>What the save did: refused with an error, or saved with the channel, reason and partner the plug-in recorded.</summary>
internal sealed record SavedDeal(DataverseError? Error, string? Channel, string? Reason, Guid? PartnerId);
