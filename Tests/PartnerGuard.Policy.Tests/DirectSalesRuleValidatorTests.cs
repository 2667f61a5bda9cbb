using PartnerGuard.Policy.Tests.Builders;
using PartnerGuard.Policy;

namespace PartnerGuard.Policy.Tests;

public sealed class DirectSalesRuleValidatorTests
{
    private static readonly Guid HouseAccount = TestIds.Named("account Contoso");

    private static DirectSalesRuleDraft Valid(DirectSalesRuleKind kind) => kind switch
    {
        DirectSalesRuleKind.CustomerSizeAbove => new() { Name = "Enterprise", Kind = "CustomerSizeAbove", Measure = "AnnualRevenue", Threshold = 1_000_000_000m, Priority = 10 },
        DirectSalesRuleKind.CustomerSizeBelow => new() { Name = "Small", Kind = "723100001", Measure = "723100001", Threshold = 50m, Priority = 10 },
        DirectSalesRuleKind.Geography => new() { Name = "DACH", Kind = "Geography", Countries = "DE, AT;ch", Priority = 10 },
        DirectSalesRuleKind.NamedAccount => new() { Name = "House", Kind = "NamedAccount", AccountId = HouseAccount, AccountName = "Contoso", IncludeSubsidiaries = true, Priority = 10 },
        _ => new() { Name = "Mega", Kind = "deal size above", Threshold = 500_000m, Priority = 10 },
    };

    [Theory]
    [InlineData(DirectSalesRuleKind.CustomerSizeAbove, typeof(CustomerSizeAboveRule))]
    [InlineData(DirectSalesRuleKind.CustomerSizeBelow, typeof(CustomerSizeBelowRule))]
    [InlineData(DirectSalesRuleKind.Geography, typeof(GeographyRule))]
    [InlineData(DirectSalesRuleKind.NamedAccount, typeof(NamedAccountRule))]
    [InlineData(DirectSalesRuleKind.DealSizeAbove, typeof(DealSizeAboveRule))]
    public void Validate_ConsistentRule_BuildsTheTypedRecord(DirectSalesRuleKind kind, Type expected)
    {
        var result = DirectSalesRuleValidator.Validate(Valid(kind));

        Assert.Empty(result.Errors);
        Assert.IsType(expected, result.Rule);
        Assert.Equal(kind, result.Rule!.Kind);
    }

    [Fact]
    public void Validate_GeographyCountries_AreStoredAsIsoCodes()
    {
        var rule = (GeographyRule)DirectSalesRuleValidator.Validate(Valid(DirectSalesRuleKind.Geography) with { Countries = "Germany\nösterreich, CH, de" }).Rule!;

        Assert.Equal(new[] { "DE", "AT", "CH" }, rule.Countries);
    }

    public static TheoryData<string, DirectSalesRuleDraft, DirectSalesRuleField, string> Inconsistent => new()
    {
        { "no name", Valid(DirectSalesRuleKind.DealSizeAbove) with { Name = "  " }, DirectSalesRuleField.Name, "Name is required." },
        // pg_name holds at most 100 characters (solution/src MaxLength); rules validate and the plug-in say so before Dataverse refuses the save.
        { "name too long", Valid(DirectSalesRuleKind.DealSizeAbove) with { Name = new string('n', 101) }, DirectSalesRuleField.Name, "Name can be at most 100 characters; this one has 101." },
        { "no kind", Valid(DirectSalesRuleKind.DealSizeAbove) with { Kind = null }, DirectSalesRuleField.Kind, "Kind is required." },
        { "unknown kind", Valid(DirectSalesRuleKind.DealSizeAbove) with { Kind = "723100009" }, DirectSalesRuleField.Kind, "Kind '723100009' is not one of: Customer size above, Customer size below, Geography, Named account, Deal size above." },
        { "size without measure", Valid(DirectSalesRuleKind.CustomerSizeAbove) with { Measure = null }, DirectSalesRuleField.Measure, "Measure is required for a 'Customer size above' rule." },
        { "unknown measure", Valid(DirectSalesRuleKind.CustomerSizeAbove) with { Measure = "Profit" }, DirectSalesRuleField.Measure, "Measure 'Profit' is not one of: Annual revenue, Employees." },
        { "size without threshold", Valid(DirectSalesRuleKind.CustomerSizeBelow) with { Threshold = null }, DirectSalesRuleField.Threshold, "Threshold is required for a 'Customer size below' rule." },
        { "negative threshold", Valid(DirectSalesRuleKind.CustomerSizeAbove) with { Threshold = -1m }, DirectSalesRuleField.Threshold, "Threshold must be 0 or more; it is -1." },
        { "below zero", Valid(DirectSalesRuleKind.CustomerSizeBelow) with { Threshold = 0m }, DirectSalesRuleField.Threshold, "Threshold must be more than 0 for a 'Customer size below' rule; it is 0." },
        { "fractional employees", Valid(DirectSalesRuleKind.CustomerSizeBelow) with { Threshold = 10.5m }, DirectSalesRuleField.Threshold, "Threshold must be a whole number of employees; it is 10.5." },
        { "size with countries", Valid(DirectSalesRuleKind.CustomerSizeAbove) with { Countries = "DE" }, DirectSalesRuleField.Countries, "Countries does not apply to a 'Customer size above' rule; clear it." },
        { "geography without countries", Valid(DirectSalesRuleKind.Geography) with { Countries = " ; " }, DirectSalesRuleField.Countries, "Countries is required for a 'Geography' rule." },
        { "unknown country", Valid(DirectSalesRuleKind.Geography) with { Countries = "DE, Atlantis" }, DirectSalesRuleField.Countries, "Countries: 'Atlantis' is not a country PartnerGuard recognises; use two-letter ISO 3166 codes such as DE or US." },
        { "geography with threshold", Valid(DirectSalesRuleKind.Geography) with { Threshold = 5m }, DirectSalesRuleField.Threshold, "Threshold does not apply to a 'Geography' rule; clear it." },
        { "regions on deal size", Valid(DirectSalesRuleKind.DealSizeAbove) with { Regions = "CA" }, DirectSalesRuleField.Regions, "States/provinces does not apply to a 'Deal size above' rule; clear it." },
        { "named without account", Valid(DirectSalesRuleKind.NamedAccount) with { AccountId = null }, DirectSalesRuleField.Account, "Account is required for a 'Named account' rule." },
        { "account on size", Valid(DirectSalesRuleKind.CustomerSizeAbove) with { AccountId = TestIds.Named("account Elsewhere") }, DirectSalesRuleField.Account, "Account does not apply to a 'Customer size above' rule; clear it." },
        { "subsidiaries on geography", Valid(DirectSalesRuleKind.Geography) with { IncludeSubsidiaries = true }, DirectSalesRuleField.IncludeSubsidiaries, "Include subsidiaries does not apply to a 'Geography' rule; clear it." },
        { "measure on deal size", Valid(DirectSalesRuleKind.DealSizeAbove) with { Measure = "Employees" }, DirectSalesRuleField.Measure, "Measure does not apply to a 'Deal size above' rule; clear it." },
        { "regions on size", Valid(DirectSalesRuleKind.CustomerSizeBelow) with { Regions = "CA" }, DirectSalesRuleField.Regions, "States/provinces does not apply to a 'Customer size below' rule; clear it." },
        { "measure on geography", Valid(DirectSalesRuleKind.Geography) with { Measure = "Employees" }, DirectSalesRuleField.Measure, "Measure does not apply to a 'Geography' rule; clear it." },
        { "account on geography", Valid(DirectSalesRuleKind.Geography) with { AccountId = HouseAccount }, DirectSalesRuleField.Account, "Account does not apply to a 'Geography' rule; clear it." },
        { "measure on named account", Valid(DirectSalesRuleKind.NamedAccount) with { Measure = "AnnualRevenue" }, DirectSalesRuleField.Measure, "Measure does not apply to a 'Named account' rule; clear it." },
        { "threshold on named account", Valid(DirectSalesRuleKind.NamedAccount) with { Threshold = 10m }, DirectSalesRuleField.Threshold, "Threshold does not apply to a 'Named account' rule; clear it." },
        { "countries on named account", Valid(DirectSalesRuleKind.NamedAccount) with { Countries = "DE" }, DirectSalesRuleField.Countries, "Countries does not apply to a 'Named account' rule; clear it." },
        { "regions on named account", Valid(DirectSalesRuleKind.NamedAccount) with { Regions = "Bavaria" }, DirectSalesRuleField.Regions, "States/provinces does not apply to a 'Named account' rule; clear it." },
        { "deal size without threshold", Valid(DirectSalesRuleKind.DealSizeAbove) with { Threshold = null }, DirectSalesRuleField.Threshold, "Threshold is required for a 'Deal size above' rule." },
        { "countries on deal size", Valid(DirectSalesRuleKind.DealSizeAbove) with { Countries = "US" }, DirectSalesRuleField.Countries, "Countries does not apply to a 'Deal size above' rule; clear it." },
        { "account on deal size", Valid(DirectSalesRuleKind.DealSizeAbove) with { AccountId = HouseAccount }, DirectSalesRuleField.Account, "Account does not apply to a 'Deal size above' rule; clear it." },
        { "no priority", Valid(DirectSalesRuleKind.DealSizeAbove) with { Priority = null }, DirectSalesRuleField.Priority, "Priority is required." },
        { "negative priority", Valid(DirectSalesRuleKind.DealSizeAbove) with { Priority = -3 }, DirectSalesRuleField.Priority, "Priority must be 0 or more; it is -3." },
        { "dates reversed", Valid(DirectSalesRuleKind.DealSizeAbove) with { EffectiveFrom = new DateTime(2026, 6, 1), EffectiveTo = new DateTime(2026, 5, 31) }, DirectSalesRuleField.EffectiveTo, "Effective to (2026-05-31) is before Effective from (2026-06-01)." },
    };

    [Theory]
    [MemberData(nameof(Inconsistent))]
    public void Validate_InconsistentRule_NamesTheField(string why, DirectSalesRuleDraft draft, DirectSalesRuleField field, string message)
    {
        var result = DirectSalesRuleValidator.Validate(draft);

        Assert.Null(result.Rule);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }

    /// <summary>A field that does not belong to the kind may hold blanks (the form leaves them), which count as empty.</summary>
    [Theory]
    [InlineData(DirectSalesRuleKind.CustomerSizeAbove)]
    [InlineData(DirectSalesRuleKind.Geography)]
    [InlineData(DirectSalesRuleKind.NamedAccount)]
    [InlineData(DirectSalesRuleKind.DealSizeAbove)]
    public void Validate_BlankFieldsOfOtherKinds_AreEmpty(DirectSalesRuleKind kind)
    {
        var draft = Valid(kind);
        draft = draft with
        {
            Measure = draft.Measure ?? " ",
            Countries = draft.Countries ?? " \n ",
            Regions = " ",
        };

        var result = DirectSalesRuleValidator.Validate(draft);

        Assert.Empty(result.Errors);
        Assert.Equal(kind, result.Rule!.Kind);
    }

    [Theory]
    [InlineData(DirectSalesRuleKind.CustomerSizeAbove)]
    [InlineData(DirectSalesRuleKind.DealSizeAbove)]
    public void Validate_ThresholdZeroOnAnAboveRule_IsValid(DirectSalesRuleKind kind)
    {
        Assert.True(DirectSalesRuleValidator.Validate(Valid(kind) with { Threshold = 0m }).IsValid);
    }

    [Fact]
    public void Validate_NameOfTheColumnsFullLength_IsValid()
    {
        Assert.Equal(new string('n', 100), DirectSalesRuleValidator.Validate(Valid(DirectSalesRuleKind.DealSizeAbove) with { Name = new string('n', 100) }).Rule!.Name);
    }

    [Fact]
    public void Validate_PriorityZero_IsValid()
    {
        Assert.Equal(0, DirectSalesRuleValidator.Validate(Valid(DirectSalesRuleKind.DealSizeAbove) with { Priority = 0 }).Rule!.Priority);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(null, false)]
    public void Validate_NamedAccount_KeepsWhetherSubsidiariesAreIncluded(bool? included, bool expected)
    {
        var rule = (NamedAccountRule)DirectSalesRuleValidator.Validate(Valid(DirectSalesRuleKind.NamedAccount) with { IncludeSubsidiaries = included }).Rule!;

        Assert.Equal(expected, rule.IncludeSubsidiaries);
    }

    [Theory]
    [InlineData("Deal-size-above", DirectSalesRuleKind.DealSizeAbove)]
    [InlineData("customer size BELOW", DirectSalesRuleKind.CustomerSizeBelow)]
    public void Validate_KindWrittenWithSpacesOrHyphens_IsRead(string text, DirectSalesRuleKind kind)
    {
        var draft = Valid(kind) with { Kind = text };

        Assert.Equal(kind, DirectSalesRuleValidator.Validate(draft).Rule!.Kind);
    }

    [Fact]
    public void Validate_KeepsNamePriorityDescriptionAndDates()
    {
        var draft = Valid(DirectSalesRuleKind.DealSizeAbove) with
        {
            Priority = 7,
            Description = "Deals this size are negotiated by the enterprise desk.",
            EffectiveFrom = new DateTime(2026, 1, 1),
            EffectiveTo = new DateTime(2026, 12, 31),
        };

        var rule = DirectSalesRuleValidator.Validate(draft).Rule!;

        Assert.Equal("Mega", rule.Name);
        Assert.Equal(7, rule.Priority);
        Assert.Equal("Deals this size are negotiated by the enterprise desk.", rule.Description);
        Assert.Equal(new DateTime(2026, 1, 1), rule.EffectiveFrom);
        Assert.Equal(new DateTime(2026, 12, 31), rule.EffectiveTo);
    }

    [Fact]
    public void Validate_SameDayFromAndTo_IsValid()
    {
        var day = new DateTime(2026, 6, 1);
        Assert.True(DirectSalesRuleValidator.Validate(Valid(DirectSalesRuleKind.DealSizeAbove) with { EffectiveFrom = day, EffectiveTo = day }).IsValid);
    }

    [Fact]
    public void RuleRejected_ListsEveryProblemAndEndsWithPG910()
    {
        var result = DirectSalesRuleValidator.Validate(new DirectSalesRuleDraft { Kind = "Geography" });

        var message = Notices.RuleRejected(result.Errors);

        Assert.Equal("This direct sales rule can't be saved. Name is required. Priority is required. Countries is required for a 'Geography' rule. (PartnerGuard PG-910)", message);
    }

    [Fact]
    public void FromDrafts_OneInvalidActiveRule_MakesTheSetUnusableAndNamesIt()
    {
        var set = CompiledRuleSet.FromDrafts(new[]
        {
            Valid(DirectSalesRuleKind.DealSizeAbove),
            Valid(DirectSalesRuleKind.Geography) with { Name = "Nordics", Countries = "Narnia" },
        });

        Assert.Equal(0, set.Count);
        Assert.Equal("The direct sales rule 'Nordics' is invalid: Countries: 'Narnia' is not a country PartnerGuard recognises; use two-letter ISO 3166 codes such as DE or US.", set.Problem);
    }

    [Fact]
    public void FromDrafts_InvalidInactiveRule_IsIgnored()
    {
        var set = CompiledRuleSet.FromDrafts(new[]
        {
            Valid(DirectSalesRuleKind.DealSizeAbove),
            new DirectSalesRuleDraft { Name = "Draft", IsActive = false },
        });

        Assert.Null(set.Problem);
        Assert.Equal(1, set.Count);
    }
}
