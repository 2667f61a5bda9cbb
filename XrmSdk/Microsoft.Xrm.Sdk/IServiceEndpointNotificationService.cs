namespace Microsoft.Xrm.Sdk;

/// <summary>Posts the execution context to a registered service endpoint (Azure Service Bus, webhook, Event Hub).</summary>
public interface IServiceEndpointNotificationService
{
    string Execute(EntityReference serviceEndpoint, IExecutionContext context);
}
