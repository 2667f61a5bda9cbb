using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.XrmSdk.Tests.Parity;

/// <summary>Official collection behaviour; how it was established: see ExceptionParityTests.</summary>
public sealed class CollectionParityTests
{
    [Fact]
    public void CollectionBuiltFromAList_CopiesIt()
    {
        var list = new List<Entity> { new("account") };
        var collection = new EntityCollection(list);

        list.Add(new Entity("contact"));
        collection.Entities.Add(new Entity("lead"));

        Assert.Equal(2, collection.Entities.Count);
        Assert.Equal(2, list.Count);
        var references = new List<EntityReference>();
        var referenceCollection = new EntityReferenceCollection(references);
        references.Add(new EntityReference("account", Guid.Empty));
        Assert.Empty(referenceCollection);
    }

    [Fact]
    public void CollectionBuiltFromAnArray_StillGrows()
    {
        var entities = new EntityCollection(new[] { new Entity("account") });
        entities.Entities.Add(new Entity("contact"));
        var references = new EntityReferenceCollection(new[] { new EntityReference("account", Guid.Empty) });
        references.Add(new EntityReference("contact", Guid.Empty));
        var options = new OptionSetValueCollection(new[] { new OptionSetValue(1) });
        options.Add(new OptionSetValue(2));

        Assert.Equal(2, entities.Entities.Count);
        Assert.Equal(2, references.Count);
        Assert.Equal(2, options.Count);
    }

    [Fact]
    public void CollectionBuiltFromNull_IsEmptyAndUsable()
    {
        var entities = new EntityCollection(null);
        entities.Entities.Add(new Entity("account"));

        Assert.Single(entities.Entities);
        Assert.Empty(new EntityReferenceCollection(null));
        Assert.Empty(new OptionSetValueCollection(null));
    }

    [Fact]
    public void AddRange_OfNull_AddsNothing_ButANullElementIsAdded()
    {
        var references = new EntityReferenceCollection();

        references.AddRange((EntityReference[]?)null);
        references.AddRange((IEnumerable<EntityReference>?)null);
        Assert.Empty(references);

        references.AddRange(new EntityReference?[] { null }!);
        Assert.Single(references);
    }

    [Fact]
    public void ColumnSetOfNull_IsEmpty_ButAddColumnsOfNullThrowsNullReference()
    {
        var columns = new ColumnSet((string[]?)null);
        columns.AddColumn("name");

        Assert.False(columns.AllColumns);
        Assert.Equal(["name"], columns.Columns);
        Assert.Throws<NullReferenceException>(() => new ColumnSet().AddColumns(null!));
    }
}
