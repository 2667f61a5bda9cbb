using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>A message name plus a parameter bag; typed requests are views over Parameters.</summary>
[DataContract(Name = "OrganizationRequest", Namespace = XrmContracts.Namespace2011)]
[KnownType(typeof(Messages.AssociateRequest))]
[KnownType(typeof(Messages.CreateMultipleRequest))]
[KnownType(typeof(Messages.CreateRequest))]
[KnownType(typeof(Messages.DeleteRequest))]
[KnownType(typeof(Messages.DisassociateRequest))]
[KnownType(typeof(Messages.ExecuteMultipleRequest))]
[KnownType(typeof(Messages.ExecuteTransactionRequest))]
[KnownType(typeof(Messages.RetrieveMultipleRequest))]
[KnownType(typeof(Messages.RetrieveRequest))]
[KnownType(typeof(Messages.UpdateMultipleRequest))]
[KnownType(typeof(Messages.UpdateRequest))]
[KnownType(typeof(Messages.UpsertMultipleRequest))]
[KnownType(typeof(Messages.UpsertRequest))]
public class OrganizationRequest : IExtensibleDataObject
{
    private ParameterCollection _parameters;

    public OrganizationRequest()
    {
    }

    public OrganizationRequest(string requestName)
    {
        RequestName = requestName;
    }

    [DataMember]
    public string RequestName { get; set; }

    public object this[string parameterName]
    {
        get => Parameters[parameterName];
        set => Parameters[parameterName] = value;
    }

    [DataMember]
    public ParameterCollection Parameters
    {
        get => _parameters ??= new ParameterCollection();
        set => _parameters = value;
    }

    [DataMember]
    public Guid? RequestId { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
