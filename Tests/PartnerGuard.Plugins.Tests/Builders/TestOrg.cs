using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Plugins.Tests.Fakes;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Testing;

namespace PartnerGuard.Plugins.Tests.Builders;

/// <summary>
/// One organization for a plug-in test: the emulator with PartnerGuard's solution and its own step registrations
/// (<see cref="SolutionOrg"/>), its own organization id (so the shared policy cache never carries state between
/// tests), a seller who saves, and the calls the plug-ins make counted by the kit's <see cref="PluginServiceMeter"/>.
/// Rows are seeded as an admin (no plug-ins run); saves go through the pipeline as the seller.
/// </summary>
internal sealed class TestOrg
{
    private readonly SolutionOrg _solution = SolutionOrg.Create(typeof(RequirePartnerOnOpportunity).Assembly);

    /// <summary>A new org; <paramref name="sellerId"/> gives the seller a chosen id (two orgs built alike).</summary>
    public TestOrg(Guid? sellerId = null) => _userId = RoleAssignments.CreateAdministrator(Org, "Sam Seller", id: sellerId);

    public DataverseOrg Org => _solution.Org;

    /// <summary>Every call the plug-ins made, and as whom.</summary>
    public PluginServiceMeter Service => _solution.Meter;

    public Guid OrganizationId => Org.OrganizationId;

    /// <summary>The org's clock; setting it moves the fake clock forward.</summary>
    public DateTime Now
    {
        get => _solution.Now;
        set => _solution.Clock.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));
    }

    private Guid _userId;

    /// <summary>The user who saves the deals; setting an id the org does not know yet adds that user.</summary>
    public Guid UserId
    {
        get => _userId;
        set
        {
            if (!UserExists(value))
            {
                RoleAssignments.CreateAdministrator(Org, "Seller " + value.ToString("N").Substring(0, 8), id: value);
            }

            _userId = value;
        }
    }

    private bool UserExists(Guid id)
    {
        var query = new Microsoft.Xrm.Sdk.Query.QueryExpression("systemuser") { ColumnSet = new Microsoft.Xrm.Sdk.Query.ColumnSet(false) };
        query.Criteria.AddCondition("systemuserid", Microsoft.Xrm.Sdk.Query.ConditionOperator.Equal, id);
        return _solution.Admin.RetrieveMultiple(query).Entities.Count > 0;
    }

    /// <summary>Sets a setting's current value and, when given, its definition's default (the solution defines every setting).</summary>
    public TestOrg WithSetting(string schemaName, string? value, string? defaultValue = null)
    {
        if (defaultValue is not null)
        {
            var definition = Definition(schemaName);
            _solution.Admin.Update(new Entity("environmentvariabledefinition", definition.Id) { ["defaultvalue"] = defaultValue });
        }

        if (value is not null)
        {
            Org.SetEnvironmentVariable(schemaName, value);
        }

        return this;
    }

    /// <summary>What an admin does in the maker portal: changes the current value of a setting.</summary>
    public void ChangeSetting(string schemaName, string value) => Org.SetEnvironmentVariable(schemaName, value);

    public TestOrg Enforcing() => WithSetting(SettingNames.EnforcementMode, "Enforce");

    public Entity Account(string name, int? relationshipType = 3, bool active = true, decimal? revenue = null, int? employees = null,
        string? country = null, string? state = null, Entity? parent = null, Entity? assignedPartner = null)
    {
        var account = new Entity("account", Guid.NewGuid()) { ["name"] = name };
        Set(account, "customertypecode", relationshipType is int type ? new OptionSetValue(type) : null);
        Set(account, "revenue", revenue is decimal r ? new Money(r) : null);
        Set(account, "numberofemployees", employees);
        Set(account, "address1_country", country);
        Set(account, "address1_stateorprovince", state);
        Set(account, "parentaccountid", parent?.ToEntityReference());
        Set(account, "pg_assignedpartnerid", assignedPartner?.ToEntityReference());
        Seed(account);
        if (!active)
        {
            _solution.Admin.Update(new Entity("account", account.Id) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(2) });
        }

        return account;
    }

    public Entity Partner(string name, int relationshipType = 5, bool active = true) => Account(name, relationshipType, active);

    public Entity Contact(Entity? parentCustomer)
    {
        var contact = new Entity("contact", Guid.NewGuid()) { ["lastname"] = "Contact" };
        Set(contact, "parentcustomerid", parentCustomer?.ToEntityReference());
        return Seed(contact);
    }

    public Entity Rule(string name, DirectSalesRuleKind kind, int priority = 10, SizeMeasure? measure = null, decimal? threshold = null,
        string? countries = null, Entity? account = null, bool active = true, bool includeSubsidiaries = false)
    {
        var rule = new Entity("pg_directsalesrule", Guid.NewGuid())
        {
            ["pg_name"] = name,
            ["pg_kind"] = new OptionSetValue((int)kind),
            ["pg_priority"] = priority,
            ["pg_includesubsidiaries"] = includeSubsidiaries,
        };
        Set(rule, "pg_measure", measure is SizeMeasure m ? new OptionSetValue((int)m) : null);
        Set(rule, "pg_threshold", threshold);
        Set(rule, "pg_countries", countries);
        Set(rule, "pg_accountid", account?.ToEntityReference());
        Seed(rule);
        if (!active)
        {
            _solution.Admin.Update(new Entity("pg_directsalesrule", rule.Id) { ["statecode"] = new OptionSetValue(1) });
        }

        return rule;
    }

    /// <summary>A currency whose <paramref name="exchangeRate"/> is units per one unit of the base currency (null: none stored).</summary>
    public Entity Currency(string isoCode, decimal? exchangeRate)
    {
        var currency = new Entity("transactioncurrency", Guid.NewGuid())
        {
            ["currencyname"] = isoCode,
            ["isocurrencycode"] = isoCode,
            ["currencysymbol"] = isoCode,
            ["currencyprecision"] = 2,
        };
        Set(currency, "exchangerate", exchangeRate);
        return Seed(currency);
    }

    /// <summary>A team named as the bypass team in the settings, with the given members (users created when new).</summary>
    public Guid BypassTeam(params Guid[] members)
    {
        var team = Org.CreateTeam("PartnerGuard bypass", Members(members));
        WithSetting(SettingNames.BypassTeamId, team.ToString());
        return team;
    }

    /// <summary>A team that is NOT the bypass team, with the given members (every Dataverse user is in some team).</summary>
    public Guid OtherTeam(Guid team, params Guid[] members)
    {
        var id = Org.CreateTeam("Sales team " + team.ToString("N").Substring(0, 8), Members(members));
        return id;
    }

    private Guid[] Members(Guid[] members)
    {
        foreach (var member in members.Where(m => !UserExists(m)))
        {
            RoleAssignments.CreateAdministrator(Org, "Team Member", id: member);
        }

        return members;
    }

    /// <summary>The seller creates the opportunity; the solution's Create step decides.</summary>
    public PluginOutcome Create(Entity target) => Run(PluginSteps.RequirePartnerOnCreate, target, preImage: null);

    /// <summary><paramref name="preImage"/> is stored as it is (no plug-in runs), then the seller saves the change; the solution's Update step decides.</summary>
    public PluginOutcome Update(Entity target, Entity preImage) => Run(PluginSteps.RequirePartnerOnUpdate, target, preImage);

    /// <summary>
    /// The seller makes the save that fires <paramref name="step"/> (a Create of the target, or an Update over
    /// <paramref name="preImage"/> stored first), with the solution's registrations. When <paramref name="plugin"/> is
    /// given, the solution's registration of that step runs this instance instead of its own.
    /// </summary>
    public PluginOutcome Run(ExpectedStep step, Entity target, Entity? preImage, IPlugin? plugin = null)
    {
        if (plugin is not null)
        {
            var registered = Org.Steps.Single(s => s.PluginType.FullName == step.PluginTypeName && s.Message == step.Message && s.Table == step.PrimaryEntity);
            var steps = Org.Steps.Select(s => s == registered ? Around(plugin, s) : s).ToList();
            Org.ClearSteps();
            steps.ForEach(s => Org.RegisterStep(s));
        }

        if (preImage is not null)
        {
            Seed(preImage);
        }

        return Save(step.Message, target);
    }

    /// <summary>
    /// Registers <paramref name="plugin"/> alone, for an event it was not built for (a misregistration an admin can make),
    /// and makes the save that fires it: a Create, Update or Delete of a row of <paramref name="table"/>.
    /// </summary>
    public PluginOutcome RunRegisteredAs(IPlugin plugin, string message, string table, int stage, int mode, Entity target)
    {
        Org.ClearSteps();
        Org.RegisterStep(new PluginStep(plugin, message, table, (PipelineStage)stage) { Mode = (StepMode)mode });
        var row = target.LogicalName == table ? target : new Entity(table, Guid.NewGuid()) { [Org.Metadata.Get(table).PrimaryNameColumn!] = "Registered elsewhere" };
        if (message != "Create")
        {
            Seed(new Entity(row.LogicalName, row.Id));
        }

        return Save(message, row);
    }

    /// <summary>
    /// Runs <paramref name="plugin"/> directly on the calling thread, with a context double as the platform would build
    /// it for <paramref name="step"/>; its services are the emulator's (metered). Only for running one instance on many
    /// threads at once, which the emulator never does (see Fakes/FakePluginContext.cs). The decision is on the returned Row.
    /// </summary>
    public PluginOutcome InvokeDirectly(IPlugin plugin, ExpectedStep step, Entity target) => Run(plugin, step, target, null, null);

    /// <summary>
    /// Runs <paramref name="plugin"/> directly with a context double built for <paramref name="step"/> and then changed
    /// by <paramref name="tweak"/>: for the contexts the platform never builds for a correct registration (another stage,
    /// no message, no Target), which the emulator cannot produce. Services are the emulator's (metered).
    /// </summary>
    public PluginOutcome Run(IPlugin plugin, ExpectedStep step, Entity target, Entity? preImage, Action<FakePluginContext>? tweak)
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
        if (preImage is not null && step.PreImageAlias is { } alias)
        {
            context.PreEntityImages[alias] = preImage;
        }

        tweak?.Invoke(context);
        var tracing = new FakeTracingService();
        var provider = new FakeServiceProvider(context, tracing, user => Service.Wrap(Org.GetService(user is { } id && id != Guid.Empty ? id : null), user));
        var callsBefore = Service.Calls.Count;
        var usersBefore = Service.ServiceUsers.Count;
        PluginRefusal? error = null;
        try
        {
            plugin.Execute(provider);
        }
        catch (InvalidPluginExecutionException exception)
        {
            error = new PluginRefusal(exception.Message);
        }

        return new PluginOutcome(target, error, tracing.Lines, context.CorrelationId, Service.Calls.Count - callsBefore, Service.ServiceUsers.Skip(usersBefore).ToList());
    }

    /// <summary>
    /// The seller calls the pg_CheckChannel Custom API (registered by the solution's customapis/) with the deal's
    /// customer, partner, value and currency as request parameters; returns its response and the plug-in's calls.
    /// </summary>
    public (OrganizationResponse? Response, PluginRefusal? Error, int Calls) Ask(Entity deal)
    {
        var request = new OrganizationRequest(CheckChannelApi.UniqueName);
        Copy(deal, "customerid", request, CheckChannelApi.Customer);
        Copy(deal, "pg_partnerid", request, CheckChannelApi.Partner);
        Copy(deal, "estimatedvalue", request, CheckChannelApi.EstimatedValue);
        Copy(deal, "transactioncurrencyid", request, CheckChannelApi.TransactionCurrency);
        var callsBefore = Service.Calls.Count;
        try
        {
            var response = Org.GetService(UserId).Execute(request);
            return (response, null, Service.Calls.Count - callsBefore);
        }
        catch (FaultException<OrganizationServiceFault> fault)
        {
            return (null, new PluginRefusal(fault.Detail.Message), Service.Calls.Count - callsBefore);
        }

        static void Copy(Entity deal, string column, OrganizationRequest request, string parameter)
        {
            if (deal.Attributes.TryGetValue(column, out var value) && value is not null)
            {
                request[parameter] = value;
            }
        }
    }

    private PluginOutcome Save(string message, Entity target)
    {
        var seller = Org.GetService(UserId);
        var callsBefore = Service.Calls.Count;
        var usersBefore = Service.ServiceUsers.Count;
        var traceBefore = Org.TraceLog.Count;
        PluginRefusal? error = null;
        try
        {
            switch (message)
            {
                case "Create":
                    seller.Create(target);
                    break;
                case "Update":
                    seller.Update(target);
                    break;
                case "Delete":
                    seller.Delete(target.LogicalName, target.Id);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(message), message, "Create, Update or Delete.");
            }
        }
        catch (FaultException<OrganizationServiceFault> fault) when (fault.Detail.ErrorCode == OrgErrorCodes.IsvAborted)
        {
            error = new PluginRefusal(fault.Detail.Message);
        }

        // An asynchronous step runs after the save; its failure is recorded on the async operation, not returned to the caller.
        if (Org.ProcessAsyncOperations() > 0 && Org.AsyncOperations.LastOrDefault(a => !a.Succeeded) is { } failed)
        {
            error = new PluginRefusal(failed.Message ?? string.Empty);
        }

        var trace = Org.TraceLog.Skip(traceBefore).ToList();
        var row = error is null && message != "Delete" ? Org.GetService().Retrieve(target.LogicalName, target.Id, new Microsoft.Xrm.Sdk.Query.ColumnSet(true)) : null;
        return new PluginOutcome(
            row,
            error,
            trace.Select(t => t.Text).ToList(),
            trace.Select(t => t.CorrelationId).FirstOrDefault(),
            Service.Calls.Count - callsBefore,
            Service.ServiceUsers.Skip(usersBefore).ToList());
    }

    private static PluginStep Around(IPlugin plugin, PluginStep registered) => new(plugin, registered.Message, registered.Table, registered.Stage)
    {
        Rank = registered.Rank,
        Mode = registered.Mode,
        FilteringAttributes = registered.FilteringAttributes,
        Images = registered.Images,
    };

    private Entity Definition(string schemaName)
    {
        var query = new Microsoft.Xrm.Sdk.Query.QueryExpression("environmentvariabledefinition") { ColumnSet = new Microsoft.Xrm.Sdk.Query.ColumnSet("schemaname") };
        query.Criteria.AddCondition("schemaname", Microsoft.Xrm.Sdk.Query.ConditionOperator.Equal, schemaName);
        return _solution.Admin.RetrieveMultiple(query).Entities.Single();
    }

    private Entity Seed(Entity row)
    {
        Org.Seed(row);
        return row;
    }

    private static void Set(Entity entity, string column, object? value)
    {
        if (value is not null)
        {
            entity[column] = value;
        }
    }
}

/// <summary>A save a plug-in refused: the message the seller sees.</summary>
internal sealed record PluginRefusal(string Message);

/// <summary>
/// What one save did: the row as stored afterwards (null when refused; for <see cref="TestOrg.InvokeDirectly"/>, the Target
/// as the plug-in left it), the refusal, the trace lines the plug-ins wrote,
/// the operation's correlation id, and the calls the plug-ins made (and as whom).
/// </summary>
internal sealed record PluginOutcome(Entity? Row, PluginRefusal? Error, IReadOnlyList<string> Trace, Guid CorrelationId, int Calls, IReadOnlyList<Guid?> ServiceUsers)
{
    public int? Channel => Row?.GetAttributeValue<OptionSetValue>("pg_channel")?.Value;

    public string? Reason => Row?.GetAttributeValue<string>("pg_channelreason");

    public EntityReference? Partner => Row?.GetAttributeValue<EntityReference>("pg_partnerid");

    public EntityReference? Rule => Row?.GetAttributeValue<EntityReference>("pg_directsalesruleid");

    public void AssertSaved()
    {
        if (Error is not null)
        {
            throw new Xunit.Sdk.XunitException("Expected the save to go through, but it was refused: " + Error.Message);
        }
    }
}
