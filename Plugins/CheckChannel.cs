using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Plugins;

/// <summary>
/// The <c>pg_CheckChannel</c> Custom API (<see cref="CheckChannelApi"/>): the channel the guard would record for a
/// deal, before it is saved, for the opportunity form script (DESIGN §8). The request's customer, partner, value
/// and currency become the deal's columns and go through <see cref="ChannelDecider"/>, the guard's own reader,
/// cache and policy, so the answer is the guard's and costs the same service calls. It writes nothing: a
/// decision that would block the save is an answer (Outcome Blocked with its code), not an error.
/// </summary>
public sealed class CheckChannel : PluginBase
{
    private const string Check = "channel preview (pg_CheckChannel)";

    public CheckChannel()
        : base(nameof(CheckChannel), Check)
    {
    }

    /// <summary>The constructor the platform calls with a configuration; PartnerGuard uses none.</summary>
    public CheckChannel(string unsecureConfiguration, string secureConfiguration)
        : this()
    {
    }

    private protected override void Run(PluginRun run)
    {
        run.RequireStep(CheckChannelApi.Execution);
        var input = run.Context.InputParameters;
        var deal = new Entity(OpportunityColumns.Table)
        {
            [OpportunityColumns.CustomerId] = Input<EntityReference>(input, CheckChannelApi.Customer),
        };
        SetIfPresent(deal, OpportunityColumns.PartnerId, Input<EntityReference>(input, CheckChannelApi.Partner));
        SetIfPresent(deal, OpportunityColumns.EstimatedValue, Input<Money>(input, CheckChannelApi.EstimatedValue));
        SetIfPresent(deal, OpportunityColumns.TransactionCurrencyId, Input<EntityReference>(input, CheckChannelApi.TransactionCurrency));

        var decision = ChannelDecider.Decide(run, new RecordState(deal, null), run.SystemService());

        var output = run.Context.OutputParameters;
        output[CheckChannelApi.Outcome] = decision.Outcome.ToString();
        output[CheckChannelApi.Code] = decision.Code ?? string.Empty;
        output[CheckChannelApi.Reason] = decision.Reason;
        var partner = decision.Partner ?? decision.AttachPartner;
        output[CheckChannelApi.Partner] = partner is null ? null : new EntityReference(AccountColumns.Table, partner.AccountId);
        output[CheckChannelApi.PartnerName] = partner?.Name ?? string.Empty;
        output[CheckChannelApi.DirectSalesRule] = decision.Rule is null ? null : new EntityReference(DirectSalesRuleColumns.Table, decision.Rule.Id);
    }

    private static T? Input<T>(ParameterCollection input, string name)
        where T : class
        => input.TryGetValue(name, out var value) ? value as T : null;

    private static void SetIfPresent(Entity deal, string column, object? value)
    {
        if (value is not null)
        {
            deal[column] = value;
        }
    }
}
