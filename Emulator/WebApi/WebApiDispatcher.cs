using System.Globalization;
using System.ServiceModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// Routes one operation to the org: GETs to <see cref="WebApiReads"/>, writes to <see cref="WebApiWrites"/> (as
/// <see cref="WritePlan"/>s, so that a change set can run them in one transaction); failures become error bodies
/// (<see cref="WebApiErrorWriter"/>).
/// </summary>
internal sealed class WebApiDispatcher
{
    private readonly DataverseOrg _org;
    private readonly WebApiReads _reads;
    private readonly WebApiWrites _writes;

    public WebApiDispatcher(DataverseOrg org)
    {
        _org = org;
        _reads = new WebApiReads(org);
        _writes = new WebApiWrites(org);
    }

    /// <summary>Runs one operation (outside a change set) and answers it.</summary>
    public WebApiResponse Handle(CallContext context, HttpOperation operation)
    {
        try
        {
            if (operation.Method == "GET")
            {
                context.Operations++;
                return _reads.Read(context, operation);
            }

            var plan = PlanWrite(context, operation, contentIds: null);
            context.Operations += plan.Operations;
            var response = Execute(context, plan.Request, plan.Bypass);
            return plan.Respond(response);
        }
        catch (WebApiException ex)
        {
            return WebApiErrorWriter.Write(ex, operation);
        }
        catch (FaultException<OrganizationServiceFault> fault)
        {
            return WebApiErrorWriter.Write(WebApiException.FromFault(fault), operation);
        }
    }

    /// <summary>Translates a POST/PATCH/DELETE into an organization request. <paramref name="contentIds"/>: Content-ID → entity path, inside a change set.</summary>
    public WritePlan PlanWrite(CallContext context, HttpOperation operation, Dictionary<string, string>? contentIds)
        => _writes.PlanWrite(context, operation, contentIds);

    /// <summary>Runs a request this front built for the one call (from the URL and JSON); the org takes it over without copying.</summary>
    public OrganizationResponse Execute(CallContext context, OrganizationRequest request, bool bypass) => Execute(_org, context, request, bypass);

    /// <summary>
    /// Runs a request this front built for the one call as the context's user; the org takes it over without copying. A
    /// query the front built from $orderby orders choices by number ("Order rows" of the Web API in Learn).
    /// </summary>
    internal static OrganizationResponse Execute(DataverseOrg org, CallContext context, OrganizationRequest request, bool bypass)
        => org.ExecuteOwned(request, new RequestOptions { UserId = context.UserId, BypassCustomPluginExecution = bypass, OrderChoicesByValue = true },
            impersonator: context.UserId == context.AuthenticatedUserId ? null : context.AuthenticatedUserId);
}
