namespace PartnerGuard.Policy.Schema;

/// <summary>
/// Logical names on the pg_directsalesrule table (DESIGN §2), the Web API entity set and the navigation property of
/// the rule's account lookup (its schema name).
/// </summary>
public static class DirectSalesRuleColumns
{
    public const string Table = "pg_directsalesrule";
    public const string EntitySet = "pg_directsalesrules";
    public const string Id = "pg_directsalesruleid";
    public const string Name = "pg_name";
    public const string Kind = "pg_kind";
    public const string Measure = "pg_measure";
    public const string Threshold = "pg_threshold";
    public const string Countries = "pg_countries";
    public const string Regions = "pg_regions";
    public const string AccountId = "pg_accountid";
    public const string IncludeSubsidiaries = "pg_includesubsidiaries";
    public const string Description = "pg_description";
    public const string Priority = "pg_priority";
    public const string EffectiveFrom = "pg_effectivefrom";
    public const string EffectiveTo = "pg_effectiveto";
    public const string StateCode = "statecode";

    /// <summary>Navigation property of <see cref="AccountId"/> (its schema name).</summary>
    public const string AccountNavigation = "pg_AccountId";

    /// <summary><c>statecode</c> of an active rule.</summary>
    public const int Active = 0;

    /// <summary>The rule columns an admin edits: the Update pre-image holds them all.</summary>
    public static IReadOnlyList<string> RuleColumns { get; } = new[]
    {
        Name, Kind, Measure, Threshold, Countries, Regions, AccountId, IncludeSubsidiaries, Description, Priority, EffectiveFrom, EffectiveTo,
    };

    /// <summary>
    /// What the rule validation reads on Update: the rule columns and <c>statecode</c>, so that activating a rule
    /// (an Update of statecode alone; Dataverse routes state changes through Update) is validated, and an edit of an
    /// inactive rule knows it is inactive. The Update step filters on these and its pre-image holds them.
    /// </summary>
    public static IReadOnlyList<string> ValidatedColumns { get; } = [.. RuleColumns, StateCode];
}
