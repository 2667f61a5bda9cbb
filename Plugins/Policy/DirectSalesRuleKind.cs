namespace PartnerGuard.Policy;

/// <summary>
/// The closed set of direct sales rule kinds. The numeric values are the option values of the
/// <c>pg_kind</c> choice column (publisher option value prefix 72310), so the plug-in and the console
/// map them without a second table.
/// </summary>
public enum DirectSalesRuleKind
{
    CustomerSizeAbove = 723100000,
    CustomerSizeBelow = 723100001,
    Geography = 723100002,
    NamedAccount = 723100003,
    DealSizeAbove = 723100004,
}

/// <summary>What a customer size rule measures. Values are the option values of <c>pg_measure</c>.</summary>
public enum SizeMeasure
{
    /// <summary>Annual revenue in base currency.</summary>
    AnnualRevenue = 723100000,

    /// <summary>Number of employees.</summary>
    Employees = 723100001,
}
