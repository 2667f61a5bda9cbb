using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[Serializable]
[CollectionDataContract(Name = "KeyAttributeCollection", Namespace = XrmContracts.Namespace71)]
public sealed class KeyAttributeCollection : DataCollection<string, object>
{
    public KeyAttributeCollection()
    {
    }
}
