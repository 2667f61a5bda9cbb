using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[KnownType(typeof(Entity))]
[KnownType(typeof(EntityReference))]
[KnownType(typeof(EntityCollection))]
[KnownType(typeof(EntityReferenceCollection))]
[KnownType(typeof(Query.ColumnSet))]
[KnownType(typeof(Query.QueryExpression))]
[KnownType(typeof(Query.QueryByAttribute))]
[KnownType(typeof(Query.FetchExpression))]
[KnownType(typeof(Relationship))]
[KnownType(typeof(OptionSetValue))]
[KnownType(typeof(OptionSetValueCollection))]
[KnownType(typeof(Money))]
[KnownType(typeof(AliasedValue))]
[KnownType(typeof(ExecuteMultipleSettings))]
[KnownType(typeof(ConcurrencyBehavior))]
[KnownType(typeof(OrganizationRequestCollection))]
[KnownType(typeof(OrganizationResponseCollection))]
[KnownType(typeof(ExecuteMultipleResponseItemCollection))]
[KnownType(typeof(EntityImageCollection))]
[CollectionDataContract(Name = "ParameterCollection", Namespace = XrmContracts.Namespace2011)]
public class ParameterCollection : DataCollection<string, object>
{
    public ParameterCollection()
    {
    }

    /// <summary>Sets the key only when the value is not null; a null value leaves the collection unchanged.</summary>
    public void AddOrUpdateIfNotNull(string key, object obj)
    {
        if (obj != null)
        {
            this[key] = obj;
        }
    }

    /// <summary>True only when the key is present and its value is a T.</summary>
    public bool TryGetValue<T>(string key, out T value)
    {
        if (base.TryGetValue(key, out object raw) && raw is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }
}
