namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>Column names of the plan CSV and property names of the plan JSON (the same words).</summary>
internal static class PlanColumns
{
    public const string AccountId = "account_id";
    public const string AccountName = "account_name";
    public const string AccountNumber = "account_number";
    public const string Country = "country";
    public const string CurrentOwnerId = "current_owner_id";
    public const string CurrentOwnerTable = "current_owner_table";
    public const string PreviousPartnerId = "previous_partner_id";
    public const string NewPartnerId = "new_partner_id";
    public const string NewPartnerName = "new_partner_name";
    public const string Reason = "reason";

    public static readonly string[] All =
    [
        AccountId, AccountName, AccountNumber, Country, CurrentOwnerId, CurrentOwnerTable,
        PreviousPartnerId, NewPartnerId, NewPartnerName, Reason,
    ];

    /// <summary>Metadata lines at the top of the CSV ("# run_id: …"), skipped as comments by CSV tools that know them.</summary>
    public const string RunIdMeta = "run_id";
    public const string CreatedOnMeta = "created_on";
    public const string StrategyMeta = "strategy";
    public const string ParametersMeta = "parameters";

    /// <summary>
    /// "# format: partnerguard-plan/2": plans with this line end with <see cref="EndMeta"/> ("# end: N rows"), which
    /// the reader checks, so a plan cut at a line boundary is refused. Plans without it (written before) are read as
    /// before, unchecked.
    /// </summary>
    public const string FormatMeta = "format";

    /// <summary>The format this build writes.</summary>
    public const string Format = "partnerguard-plan/2";

    /// <summary>The last line of a CSV plan: "# end: N rows".</summary>
    public const string EndMeta = "end";
}
