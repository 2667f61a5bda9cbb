using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Parity;

/// <summary>Official Entity and EntityReference behaviour; how it was established: see ExceptionParityTests.</summary>
public sealed class EntityParityTests
{
    private static readonly Guid IdA = new("00000000-0000-0000-0000-00000000000a");

    [Fact]
    public void EntityReferenceEquality_IncludesKeyAttributes()
    {
        Assert.Equal(new EntityReference("account", "accountnumber", "A1"), new EntityReference("account", "accountnumber", "A1"));
        Assert.NotEqual(new EntityReference("account", "accountnumber", "A1"), new EntityReference("account", "accountnumber", "A2"));
        Assert.NotEqual(new EntityReference("account", "accountnumber", "A1"), new EntityReference("account", Guid.Empty));
        Assert.NotEqual(new EntityReference("account", Guid.Empty), new EntityReference("account", "accountnumber", "A1"));
        Assert.NotEqual(new EntityReference("account", "accountnumber", "A1"), new EntityReference("account", "AccountNumber", "A1"));
        Assert.NotEqual(new EntityReference("account", "n", 1), new EntityReference("account", "n", 1L));
        Assert.NotEqual(new EntityReference("account", "n", 1) { Id = IdA }, new EntityReference("account", "n", 2) { Id = IdA });
        Assert.NotEqual(new EntityReference("account", "n", 1) { Id = IdA }, new EntityReference("account", "n", 1));
        Assert.Equal(new EntityReference("account", "n", null), new EntityReference("account", "n", null));
        Assert.Equal(new EntityReference("account", Guid.Empty) { KeyAttributes = [] }, new EntityReference("account", Guid.Empty));
    }

    [Fact]
    public void EntityReferenceEquality_IgnoresKeyOrder_AndEqualReferencesHashAlike()
    {
        var first = new EntityReference("account");
        first.KeyAttributes["a"] = 1;
        first.KeyAttributes["b"] = 2;
        var second = new EntityReference("account");
        second.KeyAttributes["b"] = 2;
        second.KeyAttributes["a"] = 1;

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        var subset = new EntityReference("account", "a", 1);
        Assert.NotEqual(first, subset);
        Assert.NotEqual(subset, first);
    }

    [Fact]
    public void GetAttributeValue_OfNullEmptyOrWhiteSpaceName_ThrowsArgumentNull()
    {
        var entity = new Entity("account");

        Assert.Equal("attributeLogicalName", Assert.Throws<ArgumentNullException>(() => entity.GetAttributeValue<int>(null)).ParamName);
        Assert.Throws<ArgumentNullException>(() => entity.GetAttributeValue<int>(string.Empty));
        Assert.Throws<ArgumentNullException>(() => entity.GetAttributeValue<int>(" "));
    }
}
