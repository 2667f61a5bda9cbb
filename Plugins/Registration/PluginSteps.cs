using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Plugins;

/// <summary>
/// The processing steps PartnerGuard's plug-ins are built for: the one list the plug-ins check at run time
/// and the solution's registration must match.
/// </summary>
public static class PluginSteps
{
    public const int PreValidation = 10;
    public const int PreOperation = 20;
    public const int Synchronous = 0;
    public const string PreImageAlias = "PreImage";

    private static readonly string[] None = Array.Empty<string>();

    public static ExpectedStep RequirePartnerOnCreate { get; } = new(
        typeof(RequirePartnerOnOpportunity).FullName!, "Create", OpportunityColumns.Table, PreOperation, Synchronous, None, null, None);

    public static ExpectedStep RequirePartnerOnUpdate { get; } = new(
        typeof(RequirePartnerOnOpportunity).FullName!,
        "Update",
        OpportunityColumns.Table,
        PreOperation,
        Synchronous,
        new[] { OpportunityColumns.CustomerId, OpportunityColumns.ParentAccountId, OpportunityColumns.PartnerId },
        PreImageAlias,
        new[]
        {
            OpportunityColumns.CustomerId, OpportunityColumns.ParentAccountId, OpportunityColumns.PartnerId,
            OpportunityColumns.EstimatedValue, OpportunityColumns.EstimatedValueBase, OpportunityColumns.ExchangeRate,
        });

    public static ExpectedStep ValidateRuleOnCreate { get; } = new(
        typeof(ValidateDirectSalesRule).FullName!, "Create", DirectSalesRuleColumns.Table, PreValidation, Synchronous, None, null, None);

    public static ExpectedStep ValidateRuleOnUpdate { get; } = new(
        typeof(ValidateDirectSalesRule).FullName!, "Update", DirectSalesRuleColumns.Table, PreValidation, Synchronous, DirectSalesRuleColumns.ValidatedColumns, PreImageAlias, DirectSalesRuleColumns.ValidatedColumns);

    /// <summary>Every step, in registration order.</summary>
    public static IReadOnlyList<ExpectedStep> All { get; } = new[]
    {
        RequirePartnerOnCreate, RequirePartnerOnUpdate, ValidateRuleOnCreate, ValidateRuleOnUpdate,
    };
}
