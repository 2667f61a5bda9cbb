namespace Microsoft.Xrm.Sdk;

public interface IPluginExecutionContext2 : IPluginExecutionContext
{
    Guid UserAzureActiveDirectoryObjectId { get; }

    Guid InitiatingUserAzureActiveDirectoryObjectId { get; }

    Guid InitiatingUserApplicationId { get; }

    Guid PortalsContactId { get; }

    bool IsPortalsClientCall { get; }
}
