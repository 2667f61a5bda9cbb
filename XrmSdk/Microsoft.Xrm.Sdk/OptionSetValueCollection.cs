using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[CollectionDataContract(Name = "OptionSetValueCollection", Namespace = XrmContracts.Namespace90)]
public sealed class OptionSetValueCollection : DataCollection<OptionSetValue>
{
    public OptionSetValueCollection()
    {
    }

    public OptionSetValueCollection(IList<OptionSetValue> list)
        : base(list)
    {
    }
}
