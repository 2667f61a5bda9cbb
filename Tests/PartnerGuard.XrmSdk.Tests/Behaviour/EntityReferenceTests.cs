using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Behaviour;

// Fact: EntityReference overrides Equals and GetHashCode with value equality (Learn, "EntityReference.Equals(Object)
// Method": true if the specified EntityReference is equal; sdk-and-pipeline-notes.md §3.2). The references
// compared below differ only in the display Name, which is not part of a row's identity.
public sealed class EntityReferenceTests
{
    private static readonly Guid SomeId = new("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public void Equals_SameLogicalNameAndId_IsTrueRegardlessOfName()
    {
        var a = new EntityReference("account", SomeId) { Name = "Contoso" };
        var b = new EntityReference("account", SomeId) { Name = "Contoso Ltd" };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentIdOrLogicalName_IsFalse()
    {
        var a = new EntityReference("account", SomeId);

        Assert.NotEqual(a, new EntityReference("account", Guid.NewGuid()));
        Assert.NotEqual(a, new EntityReference("contact", SomeId));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals("account"));
    }

    [Fact]
    public void Name_IsStoredAndReadBack()
    {
        var reference = new EntityReference("systemuser", SomeId) { Name = "Avery Howard" };

        Assert.Equal("Avery Howard", reference.Name);
    }

    [Fact]
    public void KeyAttributes_ConstructorAndLazyCollection()
    {
        var byKey = new EntityReference("account", "accountnumber", "A-100");
        var keys = new KeyAttributeCollection { { "accountnumber", "A-200" } };
        var byCollection = new EntityReference("account", keys);

        Assert.Equal("A-100", byKey.KeyAttributes["accountnumber"]);
        Assert.Equal(Guid.Empty, byKey.Id);
        Assert.Same(keys, byCollection.KeyAttributes);
        Assert.Equal(0, new EntityReference("account", SomeId).KeyAttributes.Count);
    }

    [Fact]
    public void UsableAsDictionaryKey()
    {
        var owners = new Dictionary<EntityReference, int> { [new EntityReference("team", SomeId)] = 1 };

        Assert.True(owners.ContainsKey(new EntityReference("team", SomeId) { Name = "Sales" }));
    }
}
