using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>
/// Runs a Custom API the loaded solution defines (<see cref="CustomApi"/>): the request parameters are checked against
/// the definition (required ones present, each of its declared type, no unknown ones), the API's plug-in type runs as the
/// main operation (stage 30) in a transaction of its own, and the response carries exactly the response properties. Not
/// in <see cref="MessageRegistry"/>: its messages come from the solution, so <see cref="DataverseOrg.Dispatch"/> asks the
/// org for them.
/// </summary>
internal static class CustomApiHandler
{
    public static OrganizationResponse Run(DataverseOrg org, CustomApi api, OrganizationRequest request, CallerContext caller)
    {
        Validate(api, request);

        // "Secure your custom API with a privilege": only callers holding ExecutePrivilegeName may run it; without one, anyone may.
        if (api.ExecutePrivilegeName is { } privilege)
        {
            org.Security.DemandPrivilege(caller, privilege);
        }

        var output = new ParameterCollection();
        var level = org.BeginLevel();
        try
        {
            if (api.MainOperation is { } step && !caller.BypassPlugins)
            {
                output = org.RunMainOperation(step, request, caller);
            }

            org.CommitLevel();
        }
        catch
        {
            org.RollbackLevel(level);
            throw;
        }

        var response = new OrganizationResponse { ResponseName = api.UniqueName };
        foreach (var property in api.ResponseProperties)
        {
            response.Results[property.Name] = output.TryGetValue(property.Name, out var value) ? value : null;
        }

        return response;
    }

    private static void Validate(CustomApi api, OrganizationRequest request)
    {
        foreach (var name in request.Parameters.Keys)
        {
            if (!api.RequestParameters.Any(p => p.Name == name))
            {
                throw OrgFaults.InvalidArgument($"The request '{api.UniqueName}' has no parameter '{name}'.");
            }
        }

        foreach (var parameter in api.RequestParameters)
        {
            if (!request.Parameters.TryGetValue(parameter.Name, out var value) || value is null)
            {
                if (!parameter.IsOptional)
                {
                    throw OrgFaults.RequiredParameter(api.UniqueName, parameter.Name);
                }

                continue;
            }

            if (!parameter.ClrType.IsInstanceOfType(value))
            {
                throw OrgFaults.InvalidArgument(
                    $"The parameter '{parameter.Name}' of request '{api.UniqueName}' must be a {parameter.TypeName} ({parameter.ClrType.Name}), not {value.GetType().Name}.");
            }

            if (value is EntityReference reference && parameter.LogicalEntityName is { Length: > 0 } table
                && !string.Equals(reference.LogicalName, table, StringComparison.Ordinal))
            {
                throw OrgFaults.InvalidArgument(
                    $"The parameter '{parameter.Name}' of request '{api.UniqueName}' must reference a '{table}' row, not '{reference.LogicalName}'.");
            }
        }
    }
}
