using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Messages;

/// <summary>WhoAmI: the caller's user, business unit and organization; no plug-in step sees it.</summary>
internal sealed class WhoAmIHandler : MessageHandler
{
    public override string Name => "WhoAmI";

    public override bool IsRead => true;

    public override OrganizationResponse Run(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var response = new WhoAmIResponse { ResponseName = Name };
        response.Results["UserId"] = caller.UserId;
        response.Results["BusinessUnitId"] = org.BusinessUnitOf(caller.UserId);
        response.Results["OrganizationId"] = org.OrganizationId;
        return response;
    }
}
