using System.Runtime.CompilerServices;
using Microsoft.OData.Edm;
using PartnerGuard.Emulator.Metadata;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// The Web API's view of the org's metadata: an EDM model built from the <see cref="MetadataCatalog"/> (for
/// Microsoft.OData.Core's query parser and <c>$metadata</c>), and the name maps the front needs: entity set names,
/// lookup properties (<c>_x_value</c>) and single-valued navigation properties (the names <c>@odata.bind</c> uses).
/// </summary>
/// <remarks>
/// Naming follows "Web API navigation properties" and "Web API EntityType reference"
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-navigation-properties): types live in
/// the <c>Microsoft.Dynamics.CRM</c> namespace and derive from <c>crmbaseentity</c>; a lookup column appears as
/// the read-only <c>_{column}_value</c> property; its navigation property is the column's schema name
/// (<c>parentaccountid</c> for system lookups, <c>pg_PartnerId</c> for custom ones), case-sensitive; a lookup with
/// several targets has one navigation property per target (<c>parentcustomerid_account</c>), except
/// <c>ownerid</c>, which points at <c>principal</c> and binds to systemusers or teams.
/// </remarks>
internal sealed class WebApiModel
{
    public const string Namespace = "Microsoft.Dynamics.CRM";

    private readonly Dictionary<string, WebApiTable> _bySet = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WebApiTable> _byLogicalName = new(StringComparer.OrdinalIgnoreCase);

    private WebApiModel(EdmModel model)
    {
        Model = model;
    }

    public IEdmModel Model { get; }

    public IEnumerable<WebApiTable> Tables => _byLogicalName.Values;

    /// <summary>The catalog's one-to-many relationships (for relationship schema names).</summary>
    public IReadOnlyList<RelationshipMetadata> Relationships { get; private set; } = Array.Empty<RelationshipMetadata>();

    /// <summary>The table behind an entity set name; case-sensitive as in Dataverse.</summary>
    public WebApiTable? FindBySet(string entitySet) => _bySet.TryGetValue(entitySet, out var table) ? table : null;

    public WebApiTable? FindByLogicalName(string logicalName) => _byLogicalName.TryGetValue(logicalName, out var table) ? table : null;

    public EdmEntityType? SdkMessageFilterType { get; private set; }

    public EdmEntitySet? SdkMessageFilterSet { get; private set; }

    public EdmEntityType EntityMetadataType { get; private set; } = null!;

    public EdmEntityType RelationshipMetadataType { get; private set; } = null!;

    /// <summary>A cheap fingerprint of the catalog, to rebuild the model after a solution adds tables or columns.</summary>
    public static int Fingerprint(MetadataCatalog catalog)
    {
        // Identity hashes and counts only: this runs on every request and must stay in the microseconds. A column
        // added or replaced (a new object) or an entity set renamed changes it; the XOR keeps it order-independent.
        var fingerprint = 0;
        var tables = 0;
        foreach (var table in catalog.Tables)
        {
            tables++;
            var hash = HashCode.Combine(RuntimeHelpers.GetHashCode(table), table.EntitySetName.Length, table.EntitySetName.GetHashCode(StringComparison.Ordinal), table.Columns.Count);
            foreach (var column in table.Columns)
            {
                hash = HashCode.Combine(hash, RuntimeHelpers.GetHashCode(column), column.Targets.Count);
            }

            fingerprint ^= hash;
        }

        return HashCode.Combine(fingerprint, tables, catalog.Relationships.Count());
    }

    public static WebApiModel Build(MetadataCatalog catalog)
    {
        var edm = new EdmModel();
        var container = new EdmEntityContainer(Namespace, "System");
        edm.AddElement(container);
        var model = new WebApiModel(edm) { Relationships = catalog.Relationships.ToList() };

        var baseEntity = new EdmEntityType(Namespace, "crmbaseentity", null, isAbstract: true, isOpen: false);
        edm.AddElement(baseEntity);
        var principal = new EdmEntityType(Namespace, "principal", baseEntity, isAbstract: true, isOpen: false);
        edm.AddElement(principal);

        var tables = catalog.Tables.OrderBy(t => t.LogicalName, StringComparer.Ordinal).ToList();
        foreach (var table in tables)
        {
            var parent = table.LogicalName is "systemuser" or "team" ? principal : baseEntity;
            var type = new EdmEntityType(Namespace, table.LogicalName, parent, isAbstract: false, isOpen: false);
            edm.AddElement(type);
            var info = new WebApiTable(table, type);
            foreach (var column in table.Columns)
            {
                if (column.IsLookup)
                {
                    var name = $"_{column.LogicalName}_value";
                    type.AddStructuralProperty(name, EdmPrimitiveTypeKind.Guid, isNullable: true);
                    info.Properties[name] = column;
                    continue;
                }

                var property = type.AddStructuralProperty(column.LogicalName, KindOf(column.Type), isNullable: column.Type != ColumnType.PrimaryKey);
                info.Properties[column.LogicalName] = column;
                if (column.Type == ColumnType.PrimaryKey && column.LogicalName == table.PrimaryIdColumn)
                {
                    type.AddKeys(property);
                }
            }

            model._byLogicalName[table.LogicalName] = info;
        }

        foreach (var info in model._byLogicalName.Values)
        {
            foreach (var column in info.Table.Columns.Where(c => c.IsLookup))
            {
                foreach (var (name, target) in NavigationNames(column))
                {
                    if (info.Navigations.ContainsKey(name) || info.Properties.ContainsKey(name))
                    {
                        continue;
                    }

                    IEdmEntityType targetType = target is null
                        ? principal
                        : model._byLogicalName.TryGetValue(target, out var targetInfo) ? targetInfo.Type : baseEntity;
                    info.Type.AddUnidirectionalNavigation(new EdmNavigationPropertyInfo
                    {
                        Name = name,
                        Target = targetType,
                        TargetMultiplicity = EdmMultiplicity.ZeroOrOne,
                    });
                    info.Navigations[name] = new WebApiNavigation(name, column, target);
                }
            }

            info.Set = container.AddEntitySet(info.Table.EntitySetName, info.Type);
            model._bySet[info.Table.EntitySetName] = info;
        }

        model.AddCollectionNavigations();
        AddQueryFunctions(edm);
        model.AddMetadataTypes(edm, container, baseEntity, catalog);
        return model;
    }

    /// <summary>
    /// One-to-many relationships the platform always has but a catalog may not list: <see cref="SystemTables"/>
    /// registers them, and this list still supplies them to orgs saved before it did. Schema names as in the Dataverse table reference
    /// (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/environmentvariabledefinition,
    /// "One-to-Many relationships").
    /// </summary>
    private static readonly RelationshipMetadata[] StandardRelationships =
    {
        new("environmentvariabledefinition_environmentvariablevalue", "environmentvariabledefinition", "environmentvariablevalue", "environmentvariabledefinitionid"),
    };

    /// <summary>
    /// Collection-valued navigation properties: one per one-to-many relationship, on the referenced ("one") table,
    /// named by the relationship schema name ("Web API navigation properties": ReferencedEntityNavigationPropertyName).
    /// </summary>
    private void AddCollectionNavigations()
    {
        var relationships = Relationships.ToList();
        relationships.AddRange(StandardRelationships.Where(s => !relationships.Any(r => r.SchemaName.Equals(s.SchemaName, StringComparison.OrdinalIgnoreCase))));
        foreach (var relationship in relationships)
        {
            if (FindByLogicalName(relationship.ReferencedTable) is not { } referenced
                || FindByLogicalName(relationship.ReferencingTable) is not { } referencing
                || referencing.Table.FindColumn(relationship.ReferencingColumn) is not { IsLookup: true } column
                || referenced.Properties.ContainsKey(relationship.SchemaName)
                || referenced.Navigations.ContainsKey(relationship.SchemaName)
                || referenced.CollectionNavigations.ContainsKey(relationship.SchemaName))
            {
                continue;
            }

            referenced.Type.AddUnidirectionalNavigation(new EdmNavigationPropertyInfo
            {
                Name = relationship.SchemaName,
                Target = referencing.Type,
                TargetMultiplicity = EdmMultiplicity.Many,
            });
            referenced.CollectionNavigations[relationship.SchemaName] = new WebApiCollectionNavigation(relationship.SchemaName, referencing, column);
        }
    }

    /// <summary>
    /// The query functions of "Web API Query Function Reference" (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/queryfunctions),
    /// declared as Dataverse's <c>$metadata</c> declares them: unbound functions in <c>Microsoft.Dynamics.CRM</c>
    /// returning Edm.Boolean, with <c>PropertyName</c> and either <c>PropertyValue</c> or <c>PropertyValues</c>
    /// (Collection(Edm.String)); values are passed as strings.
    /// </summary>
    private static void AddQueryFunctions(EdmModel edm)
    {
        foreach (var (name, plural) in QueryFunctions)
        {
            var function = new EdmFunction(Namespace, name, EdmCoreModel.Instance.GetBoolean(false), isBound: false, entitySetPathExpression: null, isComposable: false);
            function.AddParameter("PropertyName", EdmCoreModel.Instance.GetString(false));
            if (plural)
            {
                function.AddParameter("PropertyValues", EdmCoreModel.GetCollection(EdmCoreModel.Instance.GetString(false)));
            }
            else
            {
                function.AddParameter("PropertyValue", EdmCoreModel.Instance.GetString(false));
            }

            edm.AddElement(function);
        }
    }

    /// <summary>The supported query functions: name, and whether it takes <c>PropertyValues</c> (else <c>PropertyValue</c>).</summary>
    public static readonly (string Name, bool Plural)[] QueryFunctions =
    {
        ("In", true), ("NotIn", true), ("Between", true), ("NotBetween", true),
        ("Above", false), ("AboveOrEqual", false), ("Under", false), ("UnderOrEqual", false), ("NotUnder", false),
        ("On", false), ("NotOn", false), ("OnOrBefore", false), ("OnOrAfter", false),
    };

    /// <summary>The navigation property names of a lookup column, each with the table it binds to (null: systemuser or team).</summary>
    public static IEnumerable<(string Name, string? Target)> NavigationNames(ColumnMetadata column)
    {
        var name = NavigationBase(column);
        if (column.Type == ColumnType.Owner)
        {
            yield return (name, null);
            yield break;
        }

        if (column.Targets.Count == 1)
        {
            yield return (name, column.Targets[0]);
            yield break;
        }

        foreach (var target in column.Targets)
        {
            yield return ($"{name}_{target}", target);
        }
    }

    /// <summary>The navigation property a lookup value is read through (the associatednavigationproperty annotation).</summary>
    public static string NavigationNameFor(ColumnMetadata column, string? targetTable)
    {
        var name = NavigationBase(column);
        if (column.Type == ColumnType.Owner || column.Targets.Count <= 1 || targetTable is null)
        {
            return name;
        }

        return $"{name}_{targetTable}";
    }

    /// <summary>
    /// Custom lookups (publisher prefix, <c>pg_partnerid</c>) are navigated by their schema name (<c>pg_PartnerId</c>);
    /// system lookups keep their logical name (<c>ownerid</c>, <c>createdby</c>), also on custom tables whose solution
    /// spells their schema names in Pascal case (<c>OwnerId</c>).
    /// </summary>
    private static string NavigationBase(ColumnMetadata column)
        => column.LogicalName.Contains('_', StringComparison.Ordinal) ? column.SchemaName : column.LogicalName;

    private void AddMetadataTypes(EdmModel edm, EdmEntityContainer container, EdmEntityType baseEntity, MetadataCatalog catalog)
    {
        // EntityDefinitions and ManyToOneRelationships ("Query table definitions using the Web API"): typed so that
        // their $select/$filter go through the same OData parser as data queries.
        EntityMetadataType = new EdmEntityType(Namespace, "EntityMetadata");
        EntityMetadataType.AddKeys(EntityMetadataType.AddStructuralProperty("MetadataId", EdmPrimitiveTypeKind.Guid, false));
        foreach (var name in new[] { "LogicalName", "SchemaName", "EntitySetName", "LogicalCollectionName", "PrimaryIdAttribute", "PrimaryNameAttribute", "CollectionSchemaName", "OwnershipType" })
        {
            EntityMetadataType.AddStructuralProperty(name, EdmPrimitiveTypeKind.String, true);
        }

        foreach (var name in new[] { "IsCustomEntity", "IsOptimisticConcurrencyEnabled", "IsActivity" })
        {
            EntityMetadataType.AddStructuralProperty(name, EdmPrimitiveTypeKind.Boolean, true);
        }

        edm.AddElement(EntityMetadataType);
        container.AddEntitySet("EntityDefinitions", EntityMetadataType);

        RelationshipMetadataType = new EdmEntityType(Namespace, "OneToManyRelationshipMetadata");
        RelationshipMetadataType.AddKeys(RelationshipMetadataType.AddStructuralProperty("MetadataId", EdmPrimitiveTypeKind.Guid, false));
        foreach (var name in new[] { "SchemaName", "ReferencedEntity", "ReferencedAttribute", "ReferencingEntity", "ReferencingAttribute", "ReferencedEntityNavigationPropertyName", "ReferencingEntityNavigationPropertyName", "RelationshipType" })
        {
            RelationshipMetadataType.AddStructuralProperty(name, EdmPrimitiveTypeKind.String, true);
        }

        RelationshipMetadataType.AddStructuralProperty("IsCustomRelationship", EdmPrimitiveTypeKind.Boolean, true);
        edm.AddElement(RelationshipMetadataType);

        if (catalog.Find("sdkmessagefilter") is not null)
        {
            return;
        }

        // sdkmessagefilters: read-only, synthesised from the messages the emulator runs on every table, so that
        // clients can probe "is UpdateMultiple available on this table" the way they do against Dataverse.
        var message = new EdmEntityType(Namespace, "sdkmessage", baseEntity);
        message.AddKeys(message.AddStructuralProperty("sdkmessageid", EdmPrimitiveTypeKind.Guid, false));
        message.AddStructuralProperty("name", EdmPrimitiveTypeKind.String, true);
        edm.AddElement(message);
        var filter = new EdmEntityType(Namespace, "sdkmessagefilter", baseEntity);
        filter.AddKeys(filter.AddStructuralProperty("sdkmessagefilterid", EdmPrimitiveTypeKind.Guid, false));
        filter.AddStructuralProperty("primaryobjecttypecode", EdmPrimitiveTypeKind.String, true);
        filter.AddStructuralProperty("secondaryobjecttypecode", EdmPrimitiveTypeKind.String, true);
        filter.AddStructuralProperty("isvisible", EdmPrimitiveTypeKind.Boolean, true);
        filter.AddStructuralProperty("_sdkmessageid_value", EdmPrimitiveTypeKind.Guid, true);
        filter.AddUnidirectionalNavigation(new EdmNavigationPropertyInfo { Name = "sdkmessageid", Target = message, TargetMultiplicity = EdmMultiplicity.ZeroOrOne });
        edm.AddElement(filter);
        SdkMessageFilterType = filter;
        SdkMessageFilterSet = container.AddEntitySet("sdkmessagefilters", filter);
        container.AddEntitySet("sdkmessages", message);
    }

    private static EdmPrimitiveTypeKind KindOf(ColumnType type) => type switch
    {
        ColumnType.String or ColumnType.Memo => EdmPrimitiveTypeKind.String,
        ColumnType.Integer or ColumnType.Picklist or ColumnType.State or ColumnType.Status => EdmPrimitiveTypeKind.Int32,
        ColumnType.BigInt => EdmPrimitiveTypeKind.Int64,
        ColumnType.Decimal or ColumnType.Money => EdmPrimitiveTypeKind.Decimal,
        ColumnType.Double => EdmPrimitiveTypeKind.Double,
        ColumnType.Boolean => EdmPrimitiveTypeKind.Boolean,
        ColumnType.DateTime => EdmPrimitiveTypeKind.DateTimeOffset,
        ColumnType.UniqueIdentifier or ColumnType.PrimaryKey => EdmPrimitiveTypeKind.Guid,
        _ => EdmPrimitiveTypeKind.String,
    };
}

/// <summary>One table as the Web API exposes it.</summary>
internal sealed class WebApiTable
{
    public WebApiTable(TableMetadata table, EdmEntityType type)
    {
        Table = table;
        Type = type;
    }

    public TableMetadata Table { get; }

    public EdmEntityType Type { get; }

    public EdmEntitySet Set { get; set; } = null!;

    public string EntitySetName => Table.EntitySetName;

    /// <summary>Structural property name (case-sensitive) → column; lookups appear as <c>_{column}_value</c>.</summary>
    public Dictionary<string, ColumnMetadata> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Single-valued navigation property name (case-sensitive) → lookup column and target.</summary>
    public Dictionary<string, WebApiNavigation> Navigations { get; } = new(StringComparer.Ordinal);

    /// <summary>Collection-valued navigation property name (the relationship schema name) → the referencing table and its lookup.</summary>
    public Dictionary<string, WebApiCollectionNavigation> CollectionNavigations { get; } = new(StringComparer.Ordinal);
}

/// <summary>A collection-valued navigation property: the rows of <paramref name="Referencing"/> whose <paramref name="Column"/> points here.</summary>
internal sealed record WebApiCollectionNavigation(string Name, WebApiTable Referencing, ColumnMetadata Column);

/// <summary>A single-valued navigation property: the lookup column it sets and the table it binds to (null: systemuser or team).</summary>
internal sealed record WebApiNavigation(string Name, ColumnMetadata Column, string? Target);
