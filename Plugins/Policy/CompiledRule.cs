namespace PartnerGuard.Policy;

/// <summary>One rule in the form a decision compares against: typed fields, normalised lists.</summary>
internal sealed class CompiledRule
{
    private readonly DirectSalesRuleKind _kind;
    private readonly SizeMeasure _measure;
    private readonly decimal _threshold;
    private readonly string[] _countries;
    private readonly string[] _regionKeys;
    private readonly Guid _accountId;
    private readonly bool _includeSubsidiaries;
    private readonly DateTime? _fromDay;
    private readonly DateTime? _toDay;

    public CompiledRule(DirectSalesRule rule)
    {
        Rule = rule;
        _kind = rule.Kind;
        _fromDay = rule.EffectiveFrom?.Date;
        _toDay = rule.EffectiveTo?.Date;
        _countries = Array.Empty<string>();
        _regionKeys = Array.Empty<string>();
        switch (rule)
        {
            case CustomerSizeAboveRule above:
                _measure = above.Measure;
                _threshold = above.Threshold;
                break;
            case CustomerSizeBelowRule below:
                _measure = below.Measure;
                _threshold = below.Threshold;
                break;
            case GeographyRule geography:
                _countries = new string[geography.Countries.Count];
                for (var i = 0; i < _countries.Length; i++)
                {
                    _countries[i] = CountryNormalizer.TryNormalize(geography.Countries[i], out var code) ? code : geography.Countries[i].Trim().ToUpperInvariant();
                }

                _regionKeys = new string[geography.Regions.Count];
                for (var i = 0; i < _regionKeys.Length; i++)
                {
                    _regionKeys[i] = CountryNormalizer.Key(geography.Regions[i]);
                }

                break;
            case NamedAccountRule named:
                _accountId = named.AccountId;
                _includeSubsidiaries = named.IncludeSubsidiaries;
                break;
            case DealSizeAboveRule deal:
                _threshold = deal.Threshold;
                break;
            default:
                throw new ArgumentException("Unknown direct sales rule type " + rule.GetType().Name + ".", nameof(rule));
        }
    }

    public DirectSalesRule Rule { get; }

    public bool Matches(ChannelFacts facts, DateTime now, ref MatchState state)
    {
        if (!IsEffective(now))
        {
            return false;
        }

        var customer = facts.Customer;
        switch (_kind)
        {
            case DirectSalesRuleKind.CustomerSizeAbove:
                return customer is not null && MeasureOf(customer) is decimal above && above >= _threshold;

            case DirectSalesRuleKind.CustomerSizeBelow:
                return customer is not null && MeasureOf(customer) is decimal below && below < _threshold;

            case DirectSalesRuleKind.Geography:
                return customer is not null && MatchesGeography(customer, ref state);

            case DirectSalesRuleKind.NamedAccount:
                return customer is not null && MatchesAccount(customer);

            case DirectSalesRuleKind.DealSizeAbove:
                return facts.Deal.EstimatedValueBase is decimal value && value >= _threshold;

            default:
                return false;
        }
    }

    public bool IsEffective(DateTime now)
    {
        var day = now.Date;
        return (_fromDay is null || day >= _fromDay.Value) && (_toDay is null || day <= _toDay.Value);
    }

    public decimal? MeasureOf(CustomerFacts customer) =>
        _measure == SizeMeasure.Employees ? customer.Employees : customer.AnnualRevenueBase;

    public static string? CountryCodeOf(CustomerFacts customer) =>
        CountryNormalizer.TryNormalize(customer.Country, out var code) ? code : null;

    private bool MatchesGeography(CustomerFacts customer, ref MatchState state)
    {
        if (!state.CountryDone)
        {
            state.CountryCode = CountryCodeOf(customer);
            state.CountryDone = true;
        }

        if (state.CountryCode is not string code || Array.IndexOf(_countries, code) < 0)
        {
            return false;
        }

        if (_regionKeys.Length == 0)
        {
            return true;
        }

        if (!state.RegionDone)
        {
            state.RegionKey = string.IsNullOrWhiteSpace(customer.StateOrProvince) ? null : CountryNormalizer.Key(customer.StateOrProvince!);
            state.RegionDone = true;
        }

        return state.RegionKey is string region && Array.IndexOf(_regionKeys, region) >= 0;
    }

    private bool MatchesAccount(CustomerFacts customer)
    {
        if (customer.AccountId == _accountId)
        {
            return true;
        }

        if (!_includeSubsidiaries)
        {
            return false;
        }

        var ancestors = customer.AncestorAccountIds;
        for (var i = 0; i < ancestors.Count; i++)
        {
            if (ancestors[i] == _accountId)
            {
                return true;
            }
        }

        return false;
    }
}
