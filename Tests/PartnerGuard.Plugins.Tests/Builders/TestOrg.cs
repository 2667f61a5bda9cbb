using Microsoft.Xrm.Sdk;
using PartnerGuard.Plugins.Tests.Fakes;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Policy.Tests.Builders;

namespace PartnerGuard.Plugins.Tests.Builders;

/// <summary>
/// One organization for a plug-in test: rows in a counting service double, its own organization id (so the
/// shared policy cache never carries state between tests), and a way to run a plug-in step the way the
/// platform would, with the registration values from <see cref="PluginSteps"/>.
/// </summary>
internal sealed class TestOrg
{
    public FakeOrganizationService Service { get; } = new();

    public Guid OrganizationId { get; } = Guid.NewGuid();

    public DateTime Now { get; set; } = PolicyBuilders.Today;

    public Guid UserId { get; set; } = Guid.NewGuid();

    public TestOrg WithSetting(string schemaName, string? value, string? defaultValue = null)
    {
        var definition = Service.Add(new Entity("environmentvariabledefinition", Guid.NewGuid())
        {
            ["schemaname"] = schemaName,
            ["defaultvalue"] = defaultValue,
        });
        if (value is not null)
        {
            Service.Add(new Entity("environmentvariablevalue", Guid.NewGuid())
            {
                ["environmentvariabledefinitionid"] = new EntityReference("environmentvariabledefinition", definition.Id),
                ["value"] = value,
            });
        }

        return this;
    }

    /// <summary>What an admin does in the maker portal: changes the current value of a setting.</summary>
    public void ChangeSetting(string schemaName, string value)
    {
        var definition = Service.Rows("environmentvariabledefinition").Single(d => d.GetAttributeValue<string>("schemaname") == schemaName);
        var current = Service.Rows("environmentvariablevalue").Single(v => v.GetAttributeValue<EntityReference>("environmentvariabledefinitionid").Id == definition.Id);
        current["value"] = value;
    }

    public TestOrg Enforcing() => WithSetting(SettingNames.EnforcementMode, "Enforce", "Audit");

    public Entity Account(string name, int? relationshipType = 3, bool active = true, decimal? revenue = null, int? employees = null,
        string? country = null, string? state = null, Entity? parent = null, Entity? assignedPartner = null)
    {
        var account = new Entity("account", Guid.NewGuid())
        {
            ["name"] = name,
            ["statecode"] = new OptionSetValue(active ? 0 : 1),
        };
        Set(account, "customertypecode", relationshipType is int type ? new OptionSetValue(type) : null);
        Set(account, "revenue_base", revenue is decimal r ? new Money(r) : null);
        Set(account, "numberofemployees", employees);
        Set(account, "address1_country", country);
        Set(account, "address1_stateorprovince", state);
        Set(account, "parentaccountid", parent?.ToEntityReference());
        Set(account, "pg_assignedpartnerid", assignedPartner?.ToEntityReference());
        return Service.Add(account);
    }

    /// <summary>A transaction currency: <paramref name="exchangeRate"/> units of it make one unit of base currency.</summary>
    public Entity Currency(string isoCode, decimal? exchangeRate)
    {
        var currency = new Entity("transactioncurrency", Guid.NewGuid()) { ["isocurrencycode"] = isoCode };
        Set(currency, "exchangerate", exchangeRate);
        return Service.Add(currency);
    }

    public Entity Partner(string name, int relationshipType = 5, bool active = true) => Account(name, relationshipType, active);

    public Entity Contact(Entity? parentCustomer)
    {
        var contact = new Entity("contact", Guid.NewGuid());
        Set(contact, "parentcustomerid", parentCustomer?.ToEntityReference());
        return Service.Add(contact);
    }

    public Entity Rule(string name, DirectSalesRuleKind kind, int priority = 10, SizeMeasure? measure = null, decimal? threshold = null,
        string? countries = null, Entity? account = null, bool active = true)
    {
        var rule = new Entity("pg_directsalesrule", Guid.NewGuid())
        {
            ["pg_name"] = name,
            ["pg_kind"] = new OptionSetValue((int)kind),
            ["pg_priority"] = priority,
            ["pg_includesubsidiaries"] = false,
            ["statecode"] = new OptionSetValue(active ? 0 : 1),
        };
        Set(rule, "pg_measure", measure is SizeMeasure m ? new OptionSetValue((int)m) : null);
        Set(rule, "pg_threshold", threshold);
        Set(rule, "pg_countries", countries);
        // Dataverse returns the primary name of a lookup with it (EntityReference.Name) on retrieve.
        Set(rule, "pg_accountid", account is null ? null : new EntityReference("account", account.Id) { Name = account.GetAttributeValue<string>("name") });
        return Service.Add(rule);
    }

    /// <summary>A team that is NOT the bypass team, with the given members (every user is in some team).</summary>
    public void OtherTeam(Guid team, params Guid[] members)
    {
        foreach (var member in members)
        {
            Service.Add(new Entity("teammembership", Guid.NewGuid()) { ["teamid"] = team, ["systemuserid"] = member });
        }
    }

    /// <summary>A team named as the bypass team in the settings, with the given members.</summary>
    public Guid BypassTeam(params Guid[] members)
    {
        var team = Guid.NewGuid();
        WithSetting(SettingNames.BypassTeamId, team.ToString());
        foreach (var member in members)
        {
            Service.Add(new Entity("teammembership", Guid.NewGuid()) { ["teamid"] = team, ["systemuserid"] = member });
        }

        return team;
    }

    public PluginOutcome Create(Entity target) => Run(new RequirePartnerOnOpportunity(), PluginSteps.RequirePartnerOnCreate, target, null);

    public PluginOutcome Update(Entity target, Entity preImage) => Run(new RequirePartnerOnOpportunity(), PluginSteps.RequirePartnerOnUpdate, target, preImage);

    /// <summary>Runs a plug-in as the platform would for <paramref name="step"/>; <paramref name="adjust"/> changes the context to test misregistration.</summary>
    public PluginOutcome Run(IPlugin plugin, ExpectedStep step, Entity target, Entity? preImage, Action<FakePluginContext>? adjust = null)
    {
        var context = new FakePluginContext
        {
            MessageName = step.Message,
            PrimaryEntityName = step.PrimaryEntity,
            Stage = step.Stage,
            Mode = step.Mode,
            OrganizationId = OrganizationId,
            OperationCreatedOn = Now,
            InitiatingUserId = UserId,
            UserId = UserId,
            PrimaryEntityId = target.Id,
        };
        context.InputParameters["Target"] = target;
        if (preImage is not null && step.PreImageAlias is not null)
        {
            context.PreEntityImages[step.PreImageAlias] = preImage;
        }

        adjust?.Invoke(context);
        var tracing = new FakeTracingService();
        var provider = new FakeServiceProvider(context, tracing, Service);
        var callsBefore = Service.Calls;
        InvalidPluginExecutionException? error = null;
        try
        {
            plugin.Execute(provider);
        }
        catch (InvalidPluginExecutionException exception)
        {
            error = exception;
        }

        return new PluginOutcome(target, error, tracing.Lines, Service.Calls - callsBefore, provider.ServiceUsers, context);
    }

    private static void Set(Entity entity, string column, object? value)
    {
        if (value is not null)
        {
            entity[column] = value;
        }
    }
}

internal sealed record PluginOutcome(Entity Target, InvalidPluginExecutionException? Error, IReadOnlyList<string> Trace, int Calls, IReadOnlyList<Guid?> ServiceUsers, FakePluginContext Context)
{
    public int? Channel => Target.GetAttributeValue<OptionSetValue>("pg_channel")?.Value;

    public string? Reason => Target.GetAttributeValue<string>("pg_channelreason");

    public EntityReference? Partner => Target.GetAttributeValue<EntityReference>("pg_partnerid");

    public EntityReference? Rule => Target.GetAttributeValue<EntityReference>("pg_directsalesruleid");

    public void AssertSaved()
    {
        if (Error is not null)
        {
            throw new Xunit.Sdk.XunitException("Expected the save to go through, but it was refused: " + Error.Message);
        }
    }
}

/// <summary>Opportunity rows as the platform hands them to the plug-in: only the columns set are present.</summary>
internal sealed class OpportunityBuilder
{
    private readonly Entity _row;

    public OpportunityBuilder(Guid id) => _row = new Entity("opportunity", id);

    public static OpportunityBuilder AnOpportunity(Guid? id = null) => new(id ?? Guid.NewGuid());

    public OpportunityBuilder For(Entity? customer) { _row["customerid"] = customer?.ToEntityReference(); return this; }

    public OpportunityBuilder WithParentAccount(Entity? account) { _row["parentaccountid"] = account?.ToEntityReference(); return this; }

    /// <summary>Sets the partner; null sets an explicit null (the seller cleared it).</summary>
    public OpportunityBuilder WithPartner(Entity? partner) { _row["pg_partnerid"] = partner?.ToEntityReference(); return this; }

    /// <summary>What a seller's client sends: the value and, optionally, its currency; never the base value or the rate.</summary>
    public OpportunityBuilder WithValue(decimal? value, Entity? currency = null)
    {
        _row["estimatedvalue"] = value is decimal v ? new Money(v) : null;
        if (currency is not null)
        {
            _row["transactioncurrencyid"] = currency.ToEntityReference();
        }

        return this;
    }

    /// <summary>What the platform stored on an earlier save, next to the value: the base value and the rate then in force.</summary>
    public OpportunityBuilder WithStoredBase(decimal baseValue, decimal exchangeRate)
    {
        _row["estimatedvalue_base"] = new Money(baseValue);
        _row["exchangerate"] = exchangeRate;
        return this;
    }

    public Entity Build() => _row;
}
