using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Behaviour;

public sealed class EntityTests
{
    private static readonly Guid SomeId = new("6a4c1a3e-5d0b-4c57-9f39-2f4f4f0b8d11");

    [Fact]
    public void Constructor_WithName_SetsLogicalNameAndLeavesIdEmpty()
    {
        var entity = new Entity("opportunity");

        Assert.Equal("opportunity", entity.LogicalName);
        Assert.Equal(Guid.Empty, entity.Id);
        Assert.Equal(0, entity.Attributes.Count);
    }

    [Fact]
    public void Constructor_WithNameAndId_SetsBoth()
    {
        var entity = new Entity("account", SomeId);

        Assert.Equal("account", entity.LogicalName);
        Assert.Equal(SomeId, entity.Id);
    }

    [Fact]
    public void Constructor_WithKey_StoresTheKeyAttribute()
    {
        var entity = new Entity("account", "accountnumber", "A-100");

        Assert.Equal("A-100", entity.KeyAttributes["accountnumber"]);
        Assert.False(entity.Contains("accountnumber"));
    }

    // Fact: Entity.Id and the primary-key attribute are separate values in the official type. The Id
    // property is a plain field behind a virtual property (Learn: "Entity.Id Property", public virtual Guid Id);
    // the generated early-bound classes override Id precisely to also write "<table>id", which would be
    // unnecessary if the base class linked the two.
    [Fact]
    public void Id_AndPrimaryKeyAttribute_AreIndependent()
    {
        var entity = new Entity("account", SomeId);

        Assert.False(entity.Contains("accountid"));

        Guid other = Guid.NewGuid();
        entity["accountid"] = other;

        Assert.Equal(SomeId, entity.Id);
        Assert.Equal(other, entity.GetAttributeValue<Guid>("accountid"));
    }

    [Fact]
    public void Id_IsVirtual_AsInTheOfficialType()
    {
        // Learn, "Entity.Id Property": public virtual Guid Id { get; set; }
        Assert.True(typeof(Entity).GetProperty(nameof(Entity.Id))!.GetGetMethod()!.IsVirtual);
        Assert.True(typeof(Entity).GetMethod(nameof(Entity.GetAttributeValue))!.IsVirtual);
    }

    // Fact: the official indexer forwards to the attribute collection, which forwards to a Dictionary, so a
    // missing attribute throws KeyNotFoundException ("The given key was not present in the dictionary").
    // Sources: shared/reference/sdk-and-pipeline-notes.md §3.2 (IL of Entity.get_Item), and the long-known
    // plug-in error discussed at mscrmuk.blogspot.com/2013/04/the-given-key-was-not-present-in.html.
    [Fact]
    public void Indexer_MissingAttribute_ThrowsKeyNotFound()
    {
        var entity = new Entity("account");

        Assert.Throws<KeyNotFoundException>(() => entity["name"]);
    }

    // Fact (Learn, "Entity.GetAttributeValue<T>(String) Method", Remarks): when the entity does not include the
    // attribute, the method returns the default value rather than throw: null for EntityReference,
    // DateTime.MinValue for DateTime.
    [Fact]
    public void GetAttributeValue_MissingAttribute_ReturnsDefault()
    {
        var entity = new Entity("account");

        Assert.Null(entity.GetAttributeValue<EntityReference>("parentaccountid"));
        Assert.Equal(DateTime.MinValue, entity.GetAttributeValue<DateTime>("createdon"));
        Assert.Equal(0, entity.GetAttributeValue<int>("numberofemployees"));
        Assert.Null(entity.GetAttributeValue<int?>("numberofemployees"));
        Assert.Equal(Guid.Empty, entity.GetAttributeValue<Guid>("accountid"));
    }

    [Fact]
    public void GetAttributeValue_PresentNullValue_ReturnsDefault()
    {
        var entity = new Entity("account") { ["parentaccountid"] = null };

        Assert.True(entity.Contains("parentaccountid"));
        Assert.Null(entity.GetAttributeValue<EntityReference>("parentaccountid"));
        Assert.Equal(0, entity.GetAttributeValue<int>("parentaccountid"));
    }

    [Fact]
    public void GetAttributeValue_PresentValue_ReturnsIt()
    {
        var owner = new EntityReference("systemuser", SomeId);
        var entity = new Entity("account") { ["ownerid"] = owner, ["name"] = "Contoso" };

        Assert.Same(owner, entity.GetAttributeValue<EntityReference>("ownerid"));
        Assert.Equal("Contoso", entity.GetAttributeValue<string>("name"));
        Assert.Equal("Contoso", entity.GetAttributeValue<object>("name"));
    }

    // Fact: GetAttributeValue<T> casts, it does not convert; a wrong T throws InvalidCastException
    // (observed behaviour of the official type, described at
    // blog.csdn.net/adriano10ncsu/article/details/53281374, section "Invalid Cast").
    [Fact]
    public void GetAttributeValue_WrongType_ThrowsInvalidCast()
    {
        var entity = new Entity("account") { ["name"] = "Contoso" };

        Assert.Throws<InvalidCastException>(() => entity.GetAttributeValue<int>("name"));
    }

    // Fact (sdk-and-pipeline-notes.md §3.2, from the official IL): a null or white-space name throws ArgumentNullException.
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void GetAttributeValue_NullOrBlankName_ThrowsArgumentNull(string? name)
    {
        var entity = new Entity("account");

        var error = Assert.Throws<ArgumentNullException>(() => entity.GetAttributeValue<string>(name!));
        Assert.Equal("attributeLogicalName", error.ParamName);
    }

    [Fact]
    public void TryGetAttributeValue_PresentOfRightType_ReturnsTrueAndValue()
    {
        var entity = new Entity("account") { ["revenue"] = new Money(12.5m) };

        Assert.True(entity.TryGetAttributeValue("revenue", out Money revenue));
        Assert.Equal(12.5m, revenue.Value);
    }

    [Fact]
    public void TryGetAttributeValue_MissingOrOtherType_ReturnsFalseAndDefault()
    {
        var entity = new Entity("account") { ["name"] = "Contoso" };

        Assert.False(entity.TryGetAttributeValue("revenue", out Money missing));
        Assert.Null(missing);
        Assert.False(entity.TryGetAttributeValue("name", out int wrongType));
        Assert.Equal(0, wrongType);
    }

    [Fact]
    public void Contains_ReflectsPresenceNotValue()
    {
        var entity = new Entity("account") { ["name"] = null };

        Assert.True(entity.Contains("name"));
        Assert.False(entity.Contains("telephone1"));
    }

    [Fact]
    public void Indexer_Set_AddsThenOverwrites()
    {
        var entity = new Entity("account");

        entity["name"] = "First";
        entity["name"] = "Second";

        Assert.Equal("Second", entity["name"]);
        Assert.Equal(1, entity.Attributes.Count);
        Assert.Same(entity.Attributes, entity.Attributes);
    }

    // Fact: Attributes.Add forwards to Dictionary.Add, so adding an existing key throws ArgumentException while
    // the indexer overwrites (sdk-and-pipeline-notes.md §3.2: DataCollection forwards to an internal Dictionary).
    [Fact]
    public void Attributes_AddExistingKey_ThrowsArgumentException()
    {
        var entity = new Entity("account");
        entity.Attributes.Add("name", "First");

        Assert.Throws<ArgumentException>(() => entity.Attributes.Add("name", "Second"));
        Assert.Equal("First", entity["name"]);
    }

    [Fact]
    public void Attributes_KeysAreCaseSensitive()
    {
        var entity = new Entity("account") { ["name"] = "Contoso" };

        Assert.False(entity.Contains("Name"));
    }

    // Fact (sdk-and-pipeline-notes.md §3.2, from the official IL): ToEntityReference copies LogicalName, Id and
    // RowVersion only.
    [Fact]
    public void ToEntityReference_CopiesLogicalNameIdAndRowVersionOnly()
    {
        var entity = new Entity("account", SomeId) { RowVersion = "42", ["name"] = "Contoso" };

        EntityReference reference = entity.ToEntityReference();

        Assert.Equal("account", reference.LogicalName);
        Assert.Equal(SomeId, reference.Id);
        Assert.Equal("42", reference.RowVersion);
        Assert.Null(reference.Name);
    }

    [Fact]
    public void ToEntity_AsEntity_IsShallowCopy()
    {
        var entity = new Entity("account", SomeId) { ["name"] = "Contoso" };

        Entity copy = entity.ToEntity<Entity>();

        Assert.NotSame(entity, copy);
        Assert.Equal("account", copy.LogicalName);
        Assert.Equal(SomeId, copy.Id);
        Assert.Same(entity.Attributes, copy.Attributes);
    }

    [Fact]
    public void Collections_AreCreatedOnFirstUse()
    {
        var entity = new Entity();

        Assert.NotNull(entity.FormattedValues);
        Assert.NotNull(entity.RelatedEntities);
        Assert.NotNull(entity.KeyAttributes);
        Assert.Null(entity.EntityState);
    }
}
