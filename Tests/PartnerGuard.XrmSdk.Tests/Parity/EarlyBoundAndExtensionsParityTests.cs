using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Extensions;

namespace PartnerGuard.XrmSdk.Tests.Parity;

/// <summary>
/// Official behaviour of the protected Entity members that generated early-bound classes call, and of
/// ServiceProviderExtensions and ContextExtensions; how it was established: see ExceptionParityTests.
/// </summary>
public sealed class EarlyBoundAndExtensionsParityTests
{
    [Fact]
    public void SetAttributeValue_SetsOrOverwrites_AndRejectsABlankName()
    {
        var account = new Account();

        account.Set("name", "A");
        account.Set("name", "B");
        account.Set("description", null);

        Assert.Equal("B", account["name"]);
        Assert.True(account.Contains("description"));
        Assert.Throws<ArgumentNullException>(() => account.Set(null!, 1));
        Assert.Throws<ArgumentNullException>(() => account.Set(string.Empty, 1));
    }

    [Fact]
    public void GetFormattedAttributeValue_IsTheFormattedValueOrNull()
    {
        var account = new Account();
        account.FormattedValues["statecode"] = "Active";

        Assert.Equal("Active", account.Formatted("statecode"));
        Assert.Null(account.Formatted("statuscode"));
    }

    [Fact]
    public void SetRelatedEntity_StoresOneEntityUnderSchemaNameAndRole_AndNullRemovesIt()
    {
        var account = new Account();
        var contact = new Contact();

        account.SetOne("account_primary_contact", EntityRole.Referencing, contact);

        Assert.Same(contact, account.GetOne<Contact>("account_primary_contact", EntityRole.Referencing));
        Assert.Null(account.GetOne<Contact>("account_primary_contact", null));
        EntityCollection stored = account.RelatedEntities[new Relationship("account_primary_contact") { PrimaryEntityRole = EntityRole.Referencing }];
        Assert.Equal("contact", stored.EntityName);
        Assert.Single(stored.Entities);

        account.SetOne<Contact>("account_primary_contact", EntityRole.Referencing, null);
        Assert.Empty(account.RelatedEntities);
    }

    [Fact]
    public void GetRelatedEntity_CastsTheFirstEntity_SoAPlainEntityFails()
    {
        var account = new Account();
        account.RelatedEntities[new Relationship("r")] = new EntityCollection(new List<Entity> { new("contact") });
        account.RelatedEntities[new Relationship("empty")] = new EntityCollection();

        Assert.Throws<InvalidCastException>(() => account.GetOne<Contact>("r", null));
        Assert.Equal("contact", account.GetOne<Entity>("r", null)!.LogicalName);
        Assert.Null(account.GetOne<Entity>("empty", null));
        Assert.Null(account.GetOne<Entity>("absent", null));
    }

    [Fact]
    public void SetRelatedEntities_StoresTheEntities_NullRemoves_EmptyThrows()
    {
        var account = new Account();
        var contacts = new List<Contact> { new(), new() };

        account.SetMany("contact_customer_accounts", null, contacts);

        IEnumerable<Contact> read = account.GetMany<Contact>("contact_customer_accounts", null)!;
        Assert.Equal(contacts, read);
        Assert.Equal("contact", account.RelatedEntities[new Relationship("contact_customer_accounts")].EntityName);
        Assert.Null(account.GetMany<Contact>("absent", null));
        Assert.Throws<InvalidOperationException>(() => account.SetMany("other", null, new List<Contact>()));

        account.SetMany<Contact>("contact_customer_accounts", null, null);
        Assert.Empty(account.RelatedEntities);
    }

    [Fact]
    public void ServiceProviderGet_CastsGetService_AndIsNullForAMissingService()
    {
        var factory = new RecordingFactory();
        var provider = new Provider(factory);

        Assert.Same(factory, provider.Get<IOrganizationServiceFactory>());
        Assert.Null(provider.Get<ITracingService>());
        Assert.Throws<NullReferenceException>(() => ((IServiceProvider)null!).Get<ITracingService>());
    }

    [Fact]
    public void GetOrganizationService_PassesTheIdAsGiven_EmptyIsNotNull()
    {
        var factory = new RecordingFactory();
        var provider = new Provider(factory);
        var userId = new Guid("00000000-0000-0000-0000-000000000003");

        provider.GetOrganizationService(userId);
        provider.GetOrganizationService(Guid.Empty);

        Assert.Equal(new Guid?[] { userId, Guid.Empty }, factory.Calls);
        Assert.Throws<NullReferenceException>(() => new Provider(null).GetOrganizationService(userId));
    }

    [Fact]
    public void InputParameterOrDefault_IsTheValueOfTypeT_OrTheDefault()
    {
        IPluginExecutionContext context = ContextWith(new ParameterCollection { ["Target"] = new Entity("account"), ["Text"] = "s", ["Empty"] = null });

        Assert.Equal("account", context.InputParameterOrDefault<Entity>("Target").LogicalName);
        Assert.Null(context.InputParameterOrDefault<Entity>("Text"));
        Assert.Equal(0, context.InputParameterOrDefault<int>("Text"));
        Assert.Null(context.InputParameterOrDefault<Entity>("Empty"));
        Assert.Equal(0, context.InputParameterOrDefault<int>("Absent"));
        Assert.Equal(0, context.InputParameterOrDefault<int>("target"));
        Assert.Throws<ArgumentNullException>(() => context.InputParameterOrDefault<int>(null!));
        Assert.Throws<NullReferenceException>(() => ((IPluginExecutionContext)null!).InputParameterOrDefault<int>("Target"));
    }

    private static IPluginExecutionContext ContextWith(ParameterCollection inputs)
    {
        IPluginExecutionContext context = System.Reflection.DispatchProxy.Create<IPluginExecutionContext, InputsOnlyContext>();
        ((InputsOnlyContext)(object)context).Inputs = inputs;
        return context;
    }

    /// <summary>An execution context that answers InputParameters and nothing else.</summary>
    public class InputsOnlyContext : System.Reflection.DispatchProxy
    {
        public ParameterCollection? Inputs { get; set; }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == "get_InputParameters" ? Inputs : throw new NotSupportedException(targetMethod?.Name);
    }

    private sealed class Account : Entity
    {
        public Account()
            : base("account")
        {
        }

        public void Set(string name, object? value) => SetAttributeValue(name, value);

        public string? Formatted(string name) => GetFormattedAttributeValue(name);

        public T? GetOne<T>(string schemaName, EntityRole? role) where T : Entity => GetRelatedEntity<T>(schemaName, role);

        public void SetOne<T>(string schemaName, EntityRole? role, T? entity) where T : Entity => SetRelatedEntity(schemaName, role, entity);

        public IEnumerable<T>? GetMany<T>(string schemaName, EntityRole? role) where T : Entity => GetRelatedEntities<T>(schemaName, role);

        public void SetMany<T>(string schemaName, EntityRole? role, IEnumerable<T>? entities) where T : Entity => SetRelatedEntities(schemaName, role, entities);
    }

    private sealed class Contact : Entity
    {
        public Contact()
            : base("contact")
        {
        }
    }

    private sealed class Provider(IOrganizationServiceFactory? factory) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IOrganizationServiceFactory) ? factory : null;
    }

    private sealed class RecordingFactory : IOrganizationServiceFactory
    {
        public List<Guid?> Calls { get; } = [];

        public IOrganizationService CreateOrganizationService(Guid? userId)
        {
            Calls.Add(userId);
            return null!;
        }
    }
}
