using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[Serializable]
[CollectionDataContract(Name = "ErrorDetailCollection", Namespace = XrmContracts.Namespace2011)]
public sealed class ErrorDetailCollection : DataCollection<string, object>
{
    public ErrorDetailCollection()
    {
    }
}
