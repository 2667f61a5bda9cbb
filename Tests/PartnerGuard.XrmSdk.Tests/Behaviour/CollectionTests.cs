using System.Collections;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Behaviour;

public sealed class CollectionTests
{
    // Fact (xrm-sdk-api.txt; sdk-and-pipeline-notes.md §0.4): DataCollection<TKey,TValue> implements only
    // IEnumerable<KeyValuePair<TKey,TValue>> and IEnumerable, not IDictionary or ICollection.
    [Fact]
    public void KeyedCollection_IsNotADictionary()
    {
        var attributes = new AttributeCollection();

        Assert.IsNotAssignableFrom<IDictionary<string, object>>(attributes);
        Assert.IsNotAssignableFrom<IReadOnlyDictionary<string, object>>(attributes);
        Assert.IsNotAssignableFrom<ICollection<KeyValuePair<string, object>>>(attributes);
        Assert.IsNotAssignableFrom<IDictionary>(attributes);
    }

    [Fact]
    public void KeyedCollection_AddContainsRemoveAndEnumerate()
    {
        var bag = new ParameterCollection { { "Target", "a" }, new KeyValuePair<string, object>("Other", 2) };

        Assert.Equal(2, bag.Count);
        Assert.True(bag.Contains("Target"));
        Assert.True(bag.ContainsKey("Other"));
        Assert.True(bag.Contains(new KeyValuePair<string, object>("Other", 2)));
        Assert.Equal(new[] { "Other", "Target" }, bag.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.True(bag.Remove("Target"));
        Assert.False(bag.Remove("Target"));
        Assert.Equal(new[] { new KeyValuePair<string, object>("Other", 2) }, bag.ToList());
        bag.Clear();
        Assert.Equal(0, bag.Count);
    }

    [Fact]
    public void KeyedCollection_TryGetValue_UsesOutParameter()
    {
        var bag = new ParameterCollection { ["Target"] = "a" };

        Assert.True(bag.TryGetValue("Target", out object value));
        Assert.Equal("a", value);
        Assert.False(bag.TryGetValue("Missing", out object missing));
        Assert.Null(missing);
    }

    [Fact]
    public void ParameterCollection_GenericTryGetValue_ChecksTheType()
    {
        var target = new Entity("account");
        var bag = new ParameterCollection { ["Target"] = target };

        Assert.True(bag.TryGetValue("Target", out Entity entity));
        Assert.Same(target, entity);
        Assert.False(bag.TryGetValue("Target", out EntityReference wrongType));
        Assert.Null(wrongType);
        Assert.False(bag.TryGetValue("Missing", out Entity missing));
        Assert.Null(missing);
    }

    [Fact]
    public void ParameterCollection_AddOrUpdateIfNotNull_SkipsNull()
    {
        var bag = new ParameterCollection();

        bag.AddOrUpdateIfNotNull("A", null);
        bag.AddOrUpdateIfNotNull("B", 1);
        bag.AddOrUpdateIfNotNull("B", 2);

        Assert.False(bag.Contains("A"));
        Assert.Equal(2, bag["B"]);
    }

    [Fact]
    public void KeyedCollection_AddRange_AddsAll_AndRejectsDuplicates()
    {
        var images = new EntityImageCollection();
        images.AddRange(new KeyValuePair<string, Entity>("PreImage", new Entity("account")), new KeyValuePair<string, Entity>("PostImage", new Entity("account")));

        Assert.Equal(2, images.Count);
        Assert.Throws<ArgumentException>(() => images.AddRange(new[] { new KeyValuePair<string, Entity>("PreImage", new Entity("account")) }));
    }

    [Fact]
    public void KeyedCollection_CopyTo_CopiesPairs()
    {
        var values = new FormattedValueCollection { { "statecode", "Open" } };
        var array = new KeyValuePair<string, string>[2];

        values.CopyTo(array, 1);

        Assert.Equal(new KeyValuePair<string, string>("statecode", "Open"), array[1]);
    }

    [Fact]
    public void ListCollection_AddRangeAndToArray()
    {
        var references = new EntityReferenceCollection();
        references.AddRange(new EntityReference("team", Guid.Empty), new EntityReference("systemuser", Guid.Empty));
        references.AddRange(new List<EntityReference> { new("contact", Guid.Empty) });

        EntityReference[] array = references.ToArray();

        Assert.Equal(new[] { "team", "systemuser", "contact" }, array.Select(r => r.LogicalName));
    }

    [Fact]
    public void ListCollection_FromList_ContainsItsItems()
    {
        var options = new OptionSetValueCollection(new List<OptionSetValue> { new(1), new(2) });

        Assert.Equal(new[] { new OptionSetValue(1), new OptionSetValue(2) }, options);
    }

    [Fact]
    public void EntityCollection_IndexerAndEntities()
    {
        var first = new Entity("account");
        var collection = new EntityCollection(new List<Entity> { first }) { EntityName = "account", MoreRecords = true, PagingCookie = "<cookie/>" };

        Assert.Same(first, collection[0]);
        Assert.Same(first, collection.Entities[0]);
        collection.Entities.Add(new Entity("account"));
        Assert.Equal(2, collection.Entities.Count);
        Assert.True(collection.MoreRecords);
        Assert.Equal("<cookie/>", collection.PagingCookie);
        Assert.Empty(new EntityCollection().Entities);
    }

    [Fact]
    public void RelatedEntityCollection_IsWritable()
    {
        var related = new RelatedEntityCollection { [new Relationship("account_primary_contact")] = new EntityCollection() };

        Assert.False(related.IsReadOnly);
        Assert.True(related.Contains(new Relationship("account_primary_contact")));
    }
}
