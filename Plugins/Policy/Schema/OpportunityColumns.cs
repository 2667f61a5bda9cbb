namespace PartnerGuard.Policy.Schema;

/// <summary>
/// Logical names on the opportunity table (DESIGN §2), the Web API entity set and the navigation properties of
/// PartnerGuard's own lookups (their schema names). The <c>pg_channel</c> options are <see cref="ChannelOptionValues"/>.
/// </summary>
public static class OpportunityColumns
{
    public const string Table = "opportunity";
    public const string EntitySet = "opportunities";
    public const string Id = "opportunityid";
    public const string Name = "name";
    public const string CustomerId = "customerid";
    public const string ParentAccountId = "parentaccountid";
    public const string PartnerId = "pg_partnerid";
    public const string EstimatedValue = "estimatedvalue";
    public const string EstimatedValueBase = "estimatedvalue_base";
    public const string ExchangeRate = "exchangerate";
    public const string TransactionCurrencyId = "transactioncurrencyid";
    public const string Channel = "pg_channel";
    public const string DirectSalesRuleId = "pg_directsalesruleid";
    public const string ChannelReason = "pg_channelreason";
    public const string ChannelDecidedOn = "pg_channeldecidedon";
    public const string CreatedOn = "createdon";
    public const string StateCode = "statecode";

    /// <summary>Navigation property of <see cref="PartnerId"/> (its schema name).</summary>
    public const string PartnerNavigation = "pg_PartnerId";

    /// <summary>Navigation property of <see cref="DirectSalesRuleId"/> (its schema name).</summary>
    public const string DirectSalesRuleNavigation = "pg_DirectSalesRuleId";

    /// <summary><c>statecode</c> of an open opportunity.</summary>
    public const int Open = 0;
}
