using PartnerGuard.Policy;

namespace PartnerGuard.Policy.Tests.Builders;

/// <summary>Readable builders for the facts and rules of the pure decision core; every id is derived from the name (<see cref="TestIds"/>).</summary>
internal static class PolicyBuilders
{
    public static readonly DateTime Today = new(2026, 11, 27, 9, 30, 0, DateTimeKind.Utc);

    public static CustomerBuilder ACustomer(string name = "Contoso Ltd") => new(TestIds.Named("customer " + name), name);

    public static DealBuilder ADeal() => new();

    /// <summary>An active account of relationship type 5 (Partner).</summary>
    public static PartnerFacts APartner(string name = "Fabrikam Partners", int relationshipType = 5) =>
        new(TestIds.Named("partner " + name), name, relationshipType, IsActive: true);

    public static PartnerFacts AnInactivePartner(string name = "Old Partners") => new(TestIds.Named("inactive partner " + name), name, 5, IsActive: false);

    /// <summary>An active account whose relationship type (3, Customer) is not a partner type.</summary>
    public static PartnerFacts ANonPartnerAccount(string name = "Plain Customer Inc") => new(TestIds.Named("account " + name), name, 3, IsActive: true);

    public static ChannelSettings Enforce() => new() { Mode = EnforcementMode.Enforce };

    public static ChannelSettings Audit() => new() { Mode = EnforcementMode.Audit };

    public static CompiledRuleSet RuleSet(params DirectSalesRule[] rules) => CompiledRuleSet.Compile(rules);

    public static CustomerSizeAboveRule SizeAbove(string name, SizeMeasure measure, decimal threshold, int priority = 10) =>
        new(TestIds.Named("rule " + name), name, priority, measure, threshold);

    public static CustomerSizeBelowRule SizeBelow(string name, SizeMeasure measure, decimal threshold, int priority = 10) =>
        new(TestIds.Named("rule " + name), name, priority, measure, threshold);

    public static GeographyRule Geography(string name, string countries, string regions = "", int priority = 10) =>
        new(TestIds.Named("rule " + name), name, priority, Split(countries), Split(regions));

    public static NamedAccountRule Named(string name, Guid accountId, bool includeSubsidiaries = false, int priority = 10, string? accountName = null) =>
        new(TestIds.Named("rule " + name), name, priority, accountId, accountName, includeSubsidiaries);

    public static DealSizeAboveRule DealAbove(string name, decimal threshold, int priority = 10) =>
        new(TestIds.Named("rule " + name), name, priority, threshold);

    private static string[] Split(string list) =>
        list.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).ToArray();
}

internal sealed class CustomerBuilder
{
    private CustomerFacts _facts;

    public CustomerBuilder(Guid id, string name) => _facts = new CustomerFacts(id, name);

    public Guid Id => _facts.AccountId;

    public CustomerBuilder WithRevenue(decimal? revenue) { _facts = _facts with { AnnualRevenueBase = revenue }; return this; }

    public CustomerBuilder WithEmployees(int? employees) { _facts = _facts with { Employees = employees }; return this; }

    public CustomerBuilder InCountry(string? country, string? stateOrProvince = null)
    {
        _facts = _facts with { Country = country, StateOrProvince = stateOrProvince };
        return this;
    }

    public CustomerBuilder Below(params Guid[] ancestorsNearestFirst) { _facts = _facts with { AncestorAccountIds = ancestorsNearestFirst }; return this; }

    public CustomerBuilder WithAssignedPartner(PartnerFacts? partner) { _facts = _facts with { AssignedPartner = partner }; return this; }

    public CustomerFacts Build() => _facts;
}

internal sealed class DealBuilder
{
    private CustomerFacts? _customer;
    private PartnerFacts? _partner;
    private decimal? _value;

    public DealBuilder For(CustomerBuilder? customer) { _customer = customer?.Build(); return this; }

    public DealBuilder For(CustomerFacts? customer) { _customer = customer; return this; }

    public DealBuilder WithPartner(PartnerFacts? partner) { _partner = partner; return this; }

    public DealBuilder WithValue(decimal? estimatedValueBase) { _value = estimatedValueBase; return this; }

    public ChannelFacts Build() => new(_customer, new DealFacts(_partner, _value));
}
