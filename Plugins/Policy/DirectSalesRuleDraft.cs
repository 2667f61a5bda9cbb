namespace PartnerGuard.Policy;

/// <summary>
/// A direct sales rule as stored or typed, before validation: every field optional and loosely typed,
/// exactly as the table row or a rules file holds it. <see cref="DirectSalesRuleValidator"/> turns it into
/// a <see cref="DirectSalesRule"/> or names the fields that are wrong.
/// </summary>
public sealed record DirectSalesRuleDraft
{
    public Guid Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The kind's name (<c>CustomerSizeAbove</c>) or its option value (<c>723100000</c>).</summary>
    public string? Kind { get; init; }

    /// <summary>The measure's name (<c>Employees</c>) or its option value (<c>723100001</c>).</summary>
    public string? Measure { get; init; }

    public decimal? Threshold { get; init; }

    /// <summary>ISO 3166-1 alpha-2 codes (country names are accepted too), separated by commas, semicolons or new lines.</summary>
    public string? Countries { get; init; }

    /// <summary>States or provinces, separated by commas, semicolons or new lines.</summary>
    public string? Regions { get; init; }

    public Guid? AccountId { get; init; }

    public string? AccountName { get; init; }

    public bool? IncludeSubsidiaries { get; init; }

    public string? Description { get; init; }

    public int? Priority { get; init; }

    public DateTime? EffectiveFrom { get; init; }

    public DateTime? EffectiveTo { get; init; }

    public bool IsActive { get; init; } = true;
}

/// <summary>The fields of a direct sales rule, for validation messages.</summary>
public enum DirectSalesRuleField
{
    Name,
    Kind,
    Measure,
    Threshold,
    Countries,
    Regions,
    Account,
    IncludeSubsidiaries,
    Description,
    Priority,
    EffectiveFrom,
    EffectiveTo,
}

/// <summary>One thing wrong with a rule: the field and an admin-readable sentence that names it.</summary>
public sealed record RuleValidationError(DirectSalesRuleField Field, string Message);

/// <summary>Either a valid rule or the list of what is wrong with it.</summary>
public sealed class RuleValidationResult
{
    internal RuleValidationResult(DirectSalesRule? rule, IReadOnlyList<RuleValidationError> errors)
    {
        Rule = rule;
        Errors = errors;
    }

    public DirectSalesRule? Rule { get; }

    public IReadOnlyList<RuleValidationError> Errors { get; }

    public bool IsValid => Rule is not null;
}
