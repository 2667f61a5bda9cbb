using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>
/// A row: logical name, id and an attribute bag. Id and the primary-key attribute are independent
/// values, as in the official type: setting one does not change the other.
/// </summary>
[DataContract(Name = "Entity", Namespace = XrmContracts.Namespace2011)]
public class Entity : IExtensibleDataObject
{
    private AttributeCollection _attributes;
    private FormattedValueCollection _formattedValues;
    private RelatedEntityCollection _relatedEntities;
    private KeyAttributeCollection _keyAttributes;
    private Guid _id;

    public Entity()
    {
    }

    public Entity(string entityName)
    {
        LogicalName = entityName;
    }

    public Entity(string entityName, Guid id)
    {
        LogicalName = entityName;
        _id = id;
    }

    public Entity(string entityName, string keyName, object keyValue)
    {
        LogicalName = entityName;
        KeyAttributes[keyName] = keyValue;
    }

    public Entity(string entityName, KeyAttributeCollection keyAttributes)
    {
        LogicalName = entityName;
        _keyAttributes = keyAttributes;
    }

    [DataMember]
    public string LogicalName { get; set; }

    [DataMember]
    public virtual Guid Id
    {
        get => _id;
        set => _id = value;
    }

    [DataMember]
    public AttributeCollection Attributes
    {
        get => _attributes ??= new AttributeCollection();
        set => _attributes = value;
    }

    [DataMember]
    public EntityState? EntityState { get; set; }

    [DataMember]
    public FormattedValueCollection FormattedValues
    {
        get => _formattedValues ??= new FormattedValueCollection();
        set => _formattedValues = value;
    }

    [DataMember]
    public RelatedEntityCollection RelatedEntities
    {
        get => _relatedEntities ??= new RelatedEntityCollection();
        set => _relatedEntities = value;
    }

    [DataMember]
    public string RowVersion { get; set; }

    [DataMember]
    public KeyAttributeCollection KeyAttributes
    {
        get => _keyAttributes ??= new KeyAttributeCollection();
        set => _keyAttributes = value;
    }

    public bool HasLazyFileAttribute { get; set; }

    public string LazyFileAttributeKey { get; set; }

    public Lazy<object> LazyFileAttributeValue { get; set; }

    public string LazyFileSizeAttributeKey { get; set; }

    public int LazyFileSizeAttributeValue { get; set; }

    /// <summary>Get throws KeyNotFoundException for an absent attribute; set adds or overwrites.</summary>
    public object this[string attributeName]
    {
        get => Attributes[attributeName];
        set => Attributes[attributeName] = value;
    }

    public ExtensionDataObject ExtensionData { get; set; }

    /// <summary>True when the attribute is present, whatever its value (also null).</summary>
    public bool Contains(string attributeName) => Attributes.Contains(attributeName);

    /// <summary>
    /// Returns a shallow copy typed as T (same attribute collection instance). Converting to a subclass
    /// needs LogicalName to be set.
    /// </summary>
    public T ToEntity<T>()
        where T : Entity
    {
        if (typeof(T) != typeof(Entity) && string.IsNullOrWhiteSpace(LogicalName))
        {
            throw new NotSupportedException("LogicalName must be set before calling ToEntity<" + typeof(T).Name + ">().");
        }

        T copy = typeof(T) == typeof(Entity) ? (T)new Entity() : Activator.CreateInstance<T>();
        copy.LogicalName = LogicalName;
        copy.Id = Id;
        copy.Attributes = Attributes;
        copy.EntityState = EntityState;
        copy.FormattedValues = FormattedValues;
        copy.RelatedEntities = RelatedEntities;
        copy.RowVersion = RowVersion;
        copy.KeyAttributes = KeyAttributes;
        copy.ExtensionData = ExtensionData;
        return copy;
    }

    /// <summary>Copies LogicalName, Id and RowVersion; not the name or key attributes.</summary>
    public EntityReference ToEntityReference()
    {
        return new EntityReference(LogicalName, Id) { RowVersion = RowVersion };
    }

    /// <summary>Absent or null attribute: default(T). Present: the value cast to T (InvalidCastException if it is not a T).</summary>
    public virtual T GetAttributeValue<T>(string attributeLogicalName)
    {
        Guard.NotNullOrWhiteSpace(attributeLogicalName, nameof(attributeLogicalName));
        if (!Attributes.TryGetValue(attributeLogicalName, out object value) || value == null)
        {
            return default;
        }

        return (T)value;
    }

    /// <summary>Sets or overwrites the attribute; a null, empty or white-space name throws ArgumentNullException.</summary>
    protected virtual void SetAttributeValue(string attributeLogicalName, object value)
    {
        Guard.NotNullOrWhiteSpace(attributeLogicalName, nameof(attributeLogicalName));
        Attributes[attributeLogicalName] = value;
    }

    /// <summary>The formatted value, or null when there is none.</summary>
    protected virtual string GetFormattedAttributeValue(string attributeLogicalName)
    {
        Guard.NotNullOrWhiteSpace(attributeLogicalName, nameof(attributeLogicalName));
        return FormattedValues.TryGetValue(attributeLogicalName, out string value) ? value : null;
    }

    /// <summary>
    /// The first entity of the relationship, cast to TEntity (InvalidCastException for a plain Entity); null
    /// when the relationship is absent or empty.
    /// </summary>
    protected virtual TEntity GetRelatedEntity<TEntity>(string relationshipSchemaName, EntityRole? primaryEntityRole)
        where TEntity : Entity
    {
        EntityCollection related = Related(relationshipSchemaName, primaryEntityRole);
        return related == null || related.Entities.Count == 0 ? null : (TEntity)related.Entities[0];
    }

    /// <summary>Replaces the relationship with this one entity (EntityName its LogicalName); null removes it.</summary>
    protected virtual void SetRelatedEntity<TEntity>(string relationshipSchemaName, EntityRole? primaryEntityRole, TEntity entity)
        where TEntity : Entity
    {
        var relationship = new Relationship(relationshipSchemaName) { PrimaryEntityRole = primaryEntityRole };
        if (entity == null)
        {
            RelatedEntities.Remove(relationship);
            return;
        }

        RelatedEntities[relationship] = new EntityCollection(new List<Entity> { entity }) { EntityName = entity.LogicalName };
    }

    /// <summary>The relationship's entities cast lazily to TEntity; null when the relationship is absent.</summary>
    protected virtual IEnumerable<TEntity> GetRelatedEntities<TEntity>(string relationshipSchemaName, EntityRole? primaryEntityRole)
        where TEntity : Entity
    {
        EntityCollection related = Related(relationshipSchemaName, primaryEntityRole);
        return related == null ? null : related.Entities.Cast<TEntity>();
    }

    /// <summary>
    /// Replaces the relationship with these entities, EntityName taken from the first (an empty sequence throws
    /// InvalidOperationException, as in the official type); null removes it.
    /// </summary>
    protected virtual void SetRelatedEntities<TEntity>(string relationshipSchemaName, EntityRole? primaryEntityRole, IEnumerable<TEntity> entities)
        where TEntity : Entity
    {
        var relationship = new Relationship(relationshipSchemaName) { PrimaryEntityRole = primaryEntityRole };
        if (entities == null)
        {
            RelatedEntities.Remove(relationship);
            return;
        }

        var list = new List<Entity>(entities);
        string entityName = list.First().LogicalName;
        RelatedEntities[relationship] = new EntityCollection(list) { EntityName = entityName };
    }

    private EntityCollection Related(string relationshipSchemaName, EntityRole? primaryEntityRole)
    {
        var relationship = new Relationship(relationshipSchemaName) { PrimaryEntityRole = primaryEntityRole };
        return RelatedEntities.TryGetValue(relationship, out EntityCollection related) ? related : null;
    }

    /// <summary>True only when the attribute is present and its value is a T.</summary>
    public bool TryGetAttributeValue<T>(string attributeKey, out T result)
    {
        if (Attributes.TryGetValue(attributeKey, out object value) && value is T typed)
        {
            result = typed;
            return true;
        }

        result = default;
        return false;
    }
}
