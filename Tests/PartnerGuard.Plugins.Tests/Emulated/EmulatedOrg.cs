using PartnerGuard.Testing;
using System.Collections.Concurrent;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Plugins.Tests.Emulated;

/// <summary>
/// An emulated organization with the solution's own registrations (solution/src): a seller's Create and Update
/// go through the emulator's pipeline to the plug-ins exactly as registered. The opportunity guard runs behind
/// <see cref="CountingRequirePartner"/>, which counts the service calls it makes (DESIGN §7, issue #16).
/// Each organization has its own id, so the shared policy cache starts cold for every test.
/// </summary>
internal sealed class EmulatedOrg
{
    private EmulatedOrg(string? enforcementMode)
    {
        Org = DataverseOrg.Create(new DataverseOrgOptions { PluginTypeResolver = Resolve });
        var loaded = Org.LoadSolution(Path.Combine(PartnerGuard.Testing.RepoPaths.Root, "solution", "src"));
        Assert.Contains(loaded.Steps, s => s.Message == "Update" && s.Table == OpportunityColumns.Table);
        if (enforcementMode is not null)
        {
            Org.SetEnvironmentVariable(SettingNames.EnforcementMode, enforcementMode);
        }

        Admin = Org.GetService();
        SellerId = RoleAssignments.CreateAdministrator(Org, "Sam Seller");
        Seller = Org.GetService(SellerId);
    }

    public DataverseOrg Org { get; }

    public IOrganizationService Admin { get; }

    public Guid SellerId { get; }

    public IOrganizationService Seller { get; }

    /// <summary>Every service call the guard made in this organization, as "Message table".</summary>
    public IReadOnlyList<string> GuardCalls => CountingRequirePartner.CallsOf(Org.OrganizationId);

    public static EmulatedOrg Enforcing() => new("Enforce");

    public static EmulatedOrg Auditing() => new(null);

    /// <summary>Runs <paramref name="save"/> and returns the service calls the guard made during it.</summary>
    public IReadOnlyList<string> CallsDuring(Action save)
    {
        var before = GuardCalls.Count;
        save();
        return GuardCalls.Skip(before).ToList();
    }

    public Guid Account(string name, decimal? revenue = null, Guid? assignedPartner = null, Guid? parent = null, string? country = null)
    {
        var account = new Entity(AccountColumns.Table) { [AccountColumns.Name] = name };
        if (country is not null)
        {
            account[AccountColumns.Country] = country;
        }

        if (revenue is decimal r)
        {
            account["revenue"] = new Money(r);
        }

        if (assignedPartner is Guid partner)
        {
            account[AccountColumns.AssignedPartnerId] = new EntityReference(AccountColumns.Table, partner);
        }

        if (parent is Guid p)
        {
            account[AccountColumns.ParentAccountId] = new EntityReference(AccountColumns.Table, p);
        }

        return Admin.Create(account);
    }

    /// <summary>An active account with the relationship type "Partner" (5).</summary>
    public Guid Partner(string name)
    {
        var id = Account(name);
        Admin.Update(new Entity(AccountColumns.Table, id) { [AccountColumns.RelationshipType] = new OptionSetValue(5) });
        return id;
    }

    public Guid Contact(Guid parentAccount) => Admin.Create(new Entity(ContactColumns.Table)
    {
        ["lastname"] = "Contact of " + parentAccount.ToString("N").Substring(0, 4),
        [ContactColumns.ParentCustomerId] = new EntityReference(AccountColumns.Table, parentAccount),
    });

    /// <summary>A currency of which <paramref name="exchangeRate"/> units make one unit of the base currency.</summary>
    public Guid Currency(string isoCode, decimal exchangeRate) => Admin.Create(new Entity(TransactionCurrencyColumns.Table)
    {
        ["currencyname"] = isoCode,
        ["isocurrencycode"] = isoCode,
        ["currencysymbol"] = isoCode,
        ["currencyprecision"] = 2,
        [TransactionCurrencyColumns.ExchangeRate] = exchangeRate,
    });

    public Guid Rule(string name, DirectSalesRuleKind kind, decimal? threshold = null, SizeMeasure? measure = null, string? countries = null, Guid? account = null, int priority = 10)
    {
        var rule = new Entity(DirectSalesRuleColumns.Table)
        {
            ["pg_name"] = name,
            ["pg_kind"] = new OptionSetValue((int)kind),
            ["pg_priority"] = priority,
            ["pg_description"] = "Rule " + name + " for the tests.",
        };
        if (threshold is decimal t)
        {
            rule["pg_threshold"] = t;
        }

        if (measure is SizeMeasure m)
        {
            rule["pg_measure"] = new OptionSetValue((int)m);
        }

        if (countries is not null)
        {
            rule["pg_countries"] = countries;
        }

        if (account is Guid a)
        {
            rule["pg_accountid"] = new EntityReference(AccountColumns.Table, a);
        }

        return Admin.Create(rule);
    }

    /// <summary>What a seller's client sends on Create: never <c>estimatedvalue_base</c> or <c>exchangerate</c>.</summary>
    public static Entity Deal(Guid? customer, decimal? value = null, Guid? currency = null, Guid? partner = null, string customerTable = AccountColumns.Table)
    {
        var deal = new Entity(OpportunityColumns.Table) { [OpportunityColumns.Name] = "Deal" };
        if (customer is Guid c)
        {
            deal[OpportunityColumns.CustomerId] = new EntityReference(customerTable, c);
        }

        if (value is decimal v)
        {
            deal[OpportunityColumns.EstimatedValue] = new Money(v);
        }

        if (currency is Guid cur)
        {
            deal[OpportunityColumns.TransactionCurrencyId] = new EntityReference(TransactionCurrencyColumns.Table, cur);
        }

        if (partner is Guid p)
        {
            deal[OpportunityColumns.PartnerId] = new EntityReference(AccountColumns.Table, p);
        }

        return deal;
    }

    public Entity Stored(Guid deal) => Admin.Retrieve(OpportunityColumns.Table, deal, new ColumnSet(
        OpportunityColumns.Channel, OpportunityColumns.ChannelReason, OpportunityColumns.DirectSalesRuleId, OpportunityColumns.PartnerId,
        OpportunityColumns.EstimatedValue, OpportunityColumns.EstimatedValueBase, OpportunityColumns.ExchangeRate, OpportunityColumns.TransactionCurrencyId));

    /// <summary>The refusal a seller's client receives; fails when the save went through.</summary>
    public static OrganizationServiceFault Refused(Action save) => Assert.Throws<FaultException<OrganizationServiceFault>>(save).Detail;

    private static Type? Resolve(string assemblyName, string typeName) =>
        typeName == typeof(RequirePartnerOnOpportunity).FullName ? typeof(CountingRequirePartner)
        : PluginTypeResolver.FromAssemblies(typeof(RequirePartnerOnOpportunity).Assembly)(assemblyName, typeName);
}

/// <summary>
/// The real opportunity guard, with its organization service counted: every call it makes through the
/// service factory is logged per organization id. A wrapper in the test assembly, so the plug-in carries nothing for tests.
/// </summary>
public sealed class CountingRequirePartner : IPlugin
{
    private static readonly ConcurrentDictionary<Guid, List<string>> Calls = new();

    private readonly RequirePartnerOnOpportunity _guard;

    public CountingRequirePartner(string unsecureConfiguration, string secureConfiguration) => _guard = new RequirePartnerOnOpportunity(unsecureConfiguration, secureConfiguration);

    public CountingRequirePartner() => _guard = new RequirePartnerOnOpportunity();

    internal static IReadOnlyList<string> CallsOf(Guid organizationId)
    {
        var calls = Calls.GetOrAdd(organizationId, _ => new List<string>());
        lock (calls)
        {
            return calls.ToList();
        }
    }

    public void Execute(IServiceProvider serviceProvider)
    {
        var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
        _guard.Execute(new CountingProvider(serviceProvider, Calls.GetOrAdd(context.OrganizationId, _ => new List<string>())));
    }

    private sealed class CountingProvider(IServiceProvider inner, List<string> log) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(IOrganizationServiceFactory)
                ? new CountingFactory((IOrganizationServiceFactory)inner.GetService(serviceType)!, log)
                : inner.GetService(serviceType);
    }

    private sealed class CountingFactory(IOrganizationServiceFactory inner, List<string> log) : IOrganizationServiceFactory
    {
        public IOrganizationService CreateOrganizationService(Guid? userId) => new CountingService(inner.CreateOrganizationService(userId), log);
    }

    private sealed class CountingService(IOrganizationService inner, List<string> log) : IOrganizationService
    {
        public Guid Create(Entity entity) { Log("Create " + entity.LogicalName); return inner.Create(entity); }

        public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet) { Log("Retrieve " + entityName); return inner.Retrieve(entityName, id, columnSet); }

        public void Update(Entity entity) { Log("Update " + entity.LogicalName); inner.Update(entity); }

        public void Delete(string entityName, Guid id) { Log("Delete " + entityName); inner.Delete(entityName, id); }

        public OrganizationResponse Execute(OrganizationRequest request) { Log("Execute " + request.RequestName); return inner.Execute(request); }

        public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) { Log("Associate " + entityName); inner.Associate(entityName, entityId, relationship, relatedEntities); }

        public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) { Log("Disassociate " + entityName); inner.Disassociate(entityName, entityId, relationship, relatedEntities); }

        public EntityCollection RetrieveMultiple(QueryBase query) { Log("RetrieveMultiple " + (query as QueryExpression)?.EntityName); return inner.RetrieveMultiple(query); }

        private void Log(string call)
        {
            lock (log)
            {
                log.Add(call);
            }
        }
    }
}
