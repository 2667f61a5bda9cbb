using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[CollectionDataContract(Name = "FormattedValueCollection", Namespace = XrmContracts.Namespace2011)]
public sealed class FormattedValueCollection : DataCollection<string, string>
{
    public FormattedValueCollection()
    {
    }
}
