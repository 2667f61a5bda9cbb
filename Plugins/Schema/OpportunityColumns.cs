namespace PartnerGuard.Plugins;

/// <summary>Logical names on the opportunity table (DESIGN §2), in one place.</summary>
public static class OpportunityColumns
{
    public const string Table = "opportunity";
    public const string CustomerId = "customerid";
    public const string ParentAccountId = "parentaccountid";
    public const string PartnerId = "pg_partnerid";
    public const string EstimatedValue = "estimatedvalue";
    public const string EstimatedValueBase = "estimatedvalue_base";
    public const string ExchangeRate = "exchangerate";
    public const string Channel = "pg_channel";
    public const string DirectSalesRuleId = "pg_directsalesruleid";
    public const string ChannelReason = "pg_channelreason";
    public const string ChannelDecidedOn = "pg_channeldecidedon";
}

/// <summary>Option values of the <c>pg_channel</c> choice.</summary>
public static class ChannelOptionValues
{
    public const int Partner = 723100000;
    public const int Direct = 723100001;
    public const int Unresolved = 723100002;
    public const int Bypassed = 723100003;
}
