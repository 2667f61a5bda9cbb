using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator;

/// <summary>
/// Copies a request the way crossing the service boundary does (the SDK serialises requests), so neither the
/// caller nor a plugin ever shares an object with the other side or with stored state.
/// </summary>
internal static class RequestCloner
{
    public static OrganizationRequest Clone(OrganizationRequest request)
    {
        var copy = new OrganizationRequest(request.RequestName) { RequestId = request.RequestId };
        foreach (var pair in request.Parameters)
        {
            copy.Parameters[pair.Key] = CloneValue(pair.Value);
        }

        return copy;
    }

    public static object? CloneValue(object? value) => value switch
    {
        null => null,
        Entity entity => CloneEntity(entity),
        EntityReference reference => CloneReference(reference),
        EntityCollection collection => CloneCollection(collection),
        EntityReferenceCollection references => new EntityReferenceCollection(references.Select(CloneReference).ToList()),
        Money money => new Money(money.Value),
        OptionSetValue option => new OptionSetValue(option.Value),
        _ => value,
    };

    public static Entity CloneEntity(Entity entity)
    {
        var copy = new Entity(entity.LogicalName, entity.Id) { RowVersion = entity.RowVersion };
        foreach (var pair in entity.Attributes)
        {
            copy[pair.Key] = CloneValue(pair.Value);
        }

        if (entity.KeyAttributes is { Count: > 0 } keys)
        {
            foreach (var pair in keys)
            {
                copy.KeyAttributes[pair.Key] = CloneValue(pair.Value);
            }
        }

        return copy;
    }

    private static EntityReference CloneReference(EntityReference reference)
    {
        var copy = new EntityReference(reference.LogicalName, reference.Id) { Name = reference.Name, RowVersion = reference.RowVersion };
        if (reference.KeyAttributes is { Count: > 0 } keys)
        {
            foreach (var pair in keys)
            {
                copy.KeyAttributes[pair.Key] = CloneValue(pair.Value);
            }
        }

        return copy;
    }

    private static EntityCollection CloneCollection(EntityCollection collection)
        => new(collection.Entities.Select(CloneEntity).ToList())
        {
            EntityName = collection.EntityName,
            MoreRecords = collection.MoreRecords,
            PagingCookie = collection.PagingCookie,
            TotalRecordCount = collection.TotalRecordCount,
        };
}
