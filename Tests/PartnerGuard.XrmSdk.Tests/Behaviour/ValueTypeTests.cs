using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Behaviour;

// Fact: Money, OptionSetValue and Relationship override Equals/GetHashCode (sdk-and-pipeline-notes.md §3.2;
// xrm-sdk-api.txt lists the overrides). Two instances with the same Value are equal.
public sealed class ValueTypeTests
{
    [Fact]
    public void OptionSetValue_EqualByValue()
    {
        Assert.Equal(new OptionSetValue(1), new OptionSetValue(1));
        Assert.Equal(new OptionSetValue(1).GetHashCode(), new OptionSetValue(1).GetHashCode());
        Assert.NotEqual(new OptionSetValue(1), new OptionSetValue(2));
        Assert.False(new OptionSetValue(1).Equals(1));
        Assert.Equal(0, new OptionSetValue().Value);
    }

    [Fact]
    public void Money_EqualByValue()
    {
        Assert.Equal(new Money(10.50m), new Money(10.5m));
        Assert.Equal(new Money(10.50m).GetHashCode(), new Money(10.5m).GetHashCode());
        Assert.NotEqual(new Money(10m), new Money(11m));
        Assert.False(new Money(10m).Equals(10m));
    }

    [Fact]
    public void AliasedValue_ExposesConstructorArguments()
    {
        var value = new AliasedValue("account", "name", "Contoso");

        Assert.Equal("account", value.EntityLogicalName);
        Assert.Equal("name", value.AttributeLogicalName);
        Assert.Equal("Contoso", value.Value);
    }

    [Fact]
    public void AliasedValue_PropertiesAreGetOnly()
    {
        // xrm-sdk-api.txt: AttributeLogicalName, EntityLogicalName and Value are { get; } only.
        Assert.All(
            new[] { nameof(AliasedValue.EntityLogicalName), nameof(AliasedValue.AttributeLogicalName), nameof(AliasedValue.Value) },
            name => Assert.Null(typeof(AliasedValue).GetProperty(name)!.GetSetMethod()));
    }

    [Fact]
    public void Relationship_EqualBySchemaNameAndRole()
    {
        Assert.Equal(new Relationship("account_primary_contact"), new Relationship("account_primary_contact"));
        Assert.NotEqual(new Relationship("account_primary_contact"), new Relationship("contact_customer_accounts"));
        Assert.NotEqual(
            new Relationship("account_parent_account") { PrimaryEntityRole = EntityRole.Referenced },
            new Relationship("account_parent_account") { PrimaryEntityRole = EntityRole.Referencing });
        Assert.Equal("account_primary_contact", new Relationship("account_primary_contact").SchemaName);
    }
}
