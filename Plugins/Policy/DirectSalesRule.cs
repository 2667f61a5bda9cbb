namespace PartnerGuard.Policy;

/// <summary>
/// A published exception to "every deal has a partner". One sealed record per kind; build them with
/// <see cref="DirectSalesRuleValidator"/> so that every rule in use has passed validation.
/// Effective dates are calendar days (UTC): a rule applies from the start of its from-day through the
/// end of its to-day.
/// </summary>
public abstract record DirectSalesRule
{
    private protected DirectSalesRule(Guid id, string name, int priority)
    {
        Id = id;
        Name = name;
        Priority = priority;
    }

    public Guid Id { get; }

    public string Name { get; }

    /// <summary>Lowest wins when several rules match; ties are broken by name.</summary>
    public int Priority { get; }

    /// <summary>The published "why", shown in reasons and reports.</summary>
    public string? Description { get; init; }

    public DateTime? EffectiveFrom { get; init; }

    public DateTime? EffectiveTo { get; init; }

    public bool IsActive { get; init; } = true;

    public abstract DirectSalesRuleKind Kind { get; }
}

/// <summary>Matches when the customer's measure is at or above the threshold.</summary>
public sealed record CustomerSizeAboveRule : DirectSalesRule
{
    public CustomerSizeAboveRule(Guid id, string name, int priority, SizeMeasure measure, decimal threshold)
        : base(id, name, priority)
    {
        Measure = measure;
        Threshold = threshold;
    }

    public SizeMeasure Measure { get; }

    public decimal Threshold { get; }

    public override DirectSalesRuleKind Kind => DirectSalesRuleKind.CustomerSizeAbove;
}

/// <summary>Matches when the customer's measure is below the threshold.</summary>
public sealed record CustomerSizeBelowRule : DirectSalesRule
{
    public CustomerSizeBelowRule(Guid id, string name, int priority, SizeMeasure measure, decimal threshold)
        : base(id, name, priority)
    {
        Measure = measure;
        Threshold = threshold;
    }

    public SizeMeasure Measure { get; }

    public decimal Threshold { get; }

    public override DirectSalesRuleKind Kind => DirectSalesRuleKind.CustomerSizeBelow;
}

/// <summary>
/// Matches when the customer's country normalises into <see cref="Countries"/> (ISO 3166-1 alpha-2)
/// and, when <see cref="Regions"/> is not empty, its state or province is one of them.
/// </summary>
public sealed record GeographyRule : DirectSalesRule
{
    public GeographyRule(Guid id, string name, int priority, IReadOnlyList<string> countries, IReadOnlyList<string> regions)
        : base(id, name, priority)
    {
        Countries = countries;
        Regions = regions;
    }

    public IReadOnlyList<string> Countries { get; }

    public IReadOnlyList<string> Regions { get; }

    public override DirectSalesRuleKind Kind => DirectSalesRuleKind.Geography;
}

/// <summary>Matches the named account, and with <see cref="IncludeSubsidiaries"/> every account below it.</summary>
public sealed record NamedAccountRule : DirectSalesRule
{
    public NamedAccountRule(Guid id, string name, int priority, Guid accountId, string? accountName, bool includeSubsidiaries)
        : base(id, name, priority)
    {
        AccountId = accountId;
        AccountName = accountName;
        IncludeSubsidiaries = includeSubsidiaries;
    }

    public Guid AccountId { get; }

    public string? AccountName { get; }

    public bool IncludeSubsidiaries { get; }

    public override DirectSalesRuleKind Kind => DirectSalesRuleKind.NamedAccount;
}

/// <summary>Matches when the deal's estimated value in base currency is at or above the threshold.</summary>
public sealed record DealSizeAboveRule : DirectSalesRule
{
    public DealSizeAboveRule(Guid id, string name, int priority, decimal threshold)
        : base(id, name, priority)
    {
        Threshold = threshold;
    }

    public decimal Threshold { get; }

    public override DirectSalesRuleKind Kind => DirectSalesRuleKind.DealSizeAbove;
}
