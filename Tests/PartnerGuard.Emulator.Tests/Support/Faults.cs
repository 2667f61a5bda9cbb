using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Tests.Support;

/// <summary>Assertions for the faults an SDK client receives.</summary>
internal static class Faults
{
    public static OrganizationServiceFault Expect(int errorCode, Action action)
    {
        var exception = Assert.Throws<FaultException<OrganizationServiceFault>>(action);
        Assert.True(exception.Detail.ErrorCode == errorCode,
            $"Expected error code {errorCode} but got {exception.Detail.ErrorCode}: {exception.Detail.Message}");
        return exception.Detail;
    }

    public static OrganizationServiceFault Expect(int errorCode, Func<object?> action) => Expect(errorCode, () => { action(); });
}
