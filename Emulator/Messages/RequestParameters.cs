using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Messages;

/// <summary>Reading a request's parameters with the platform's faults for missing or mistyped ones.</summary>
internal static class RequestParameters
{
    /// <summary>A required parameter of the given type; rows named by alternate key are refused (ids only).</summary>
    public static T Required<T>(OrganizationRequest request, string parameter)
        where T : class
    {
        if (!request.Parameters.TryGetValue(parameter, out var value) || value is null)
        {
            throw OrgFaults.RequiredParameter(request.RequestName, parameter);
        }

        if ((value is Entity { KeyAttributes.Count: > 0 } || value is EntityReference { KeyAttributes.Count: > 0 })
            && !(value is Entity { Id: var entityId } && entityId != Guid.Empty)
            && !(value is EntityReference { Id: var referenceId } && referenceId != Guid.Empty))
        {
            throw OrgFaults.Create(OrgErrorCodes.InvalidArgument,
                $"The '{parameter}' of request '{request.RequestName}' identifies its row by alternate key; the PartnerGuard emulator supports ids only.");
        }

        return value as T ?? throw OrgFaults.InvalidArgument(
            $"The parameter '{parameter}' of request '{request.RequestName}' must be a {typeof(T).Name}, not {value.GetType().Name}.");
    }

    /// <summary>The request's ConcurrencyBehavior, or Default.</summary>
    public static ConcurrencyBehavior ConcurrencyOf(OrganizationRequest request)
        => request.Parameters.TryGetValue("ConcurrencyBehavior", out var value) && value is ConcurrencyBehavior behavior ? behavior : ConcurrencyBehavior.Default;
}
