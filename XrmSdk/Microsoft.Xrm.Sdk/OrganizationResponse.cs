using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>A response name plus a result bag; typed responses are views over Results.</summary>
[DataContract(Name = "OrganizationResponse", Namespace = XrmContracts.Namespace2011)]
[KnownType(typeof(Messages.AssociateResponse))]
[KnownType(typeof(Messages.CreateMultipleResponse))]
[KnownType(typeof(Messages.CreateResponse))]
[KnownType(typeof(Messages.DeleteResponse))]
[KnownType(typeof(Messages.DisassociateResponse))]
[KnownType(typeof(Messages.ExecuteMultipleResponse))]
[KnownType(typeof(Messages.ExecuteTransactionResponse))]
[KnownType(typeof(Messages.RetrieveMultipleResponse))]
[KnownType(typeof(Messages.RetrieveResponse))]
[KnownType(typeof(Messages.UpdateMultipleResponse))]
[KnownType(typeof(Messages.UpdateResponse))]
[KnownType(typeof(Messages.UpsertMultipleResponse))]
[KnownType(typeof(Messages.UpsertResponse))]
public class OrganizationResponse : IExtensibleDataObject
{
    private ParameterCollection _results;

    public OrganizationResponse()
    {
    }

    [DataMember]
    public string ResponseName { get; set; }

    public object this[string parameterName]
    {
        get => Results[parameterName];
        set => Results[parameterName] = value;
    }

    [DataMember]
    public ParameterCollection Results
    {
        get => _results ??= new ParameterCollection();
        set => _results = value;
    }

    public ExtensionDataObject ExtensionData { get; set; }
}
