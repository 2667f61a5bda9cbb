namespace PartnerGuard.Emulator.Messages;

/// <summary>The message handlers of the emulator, by request name: every concrete <see cref="MessageHandler"/> in this assembly.</summary>
internal static class MessageRegistry
{
    private static readonly Dictionary<string, MessageHandler> Handlers = typeof(MessageHandler).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(MessageHandler).IsAssignableFrom(t))
        .Select(t => (MessageHandler)Activator.CreateInstance(t, nonPublic: true)!)
        .ToDictionary(h => h.Name, StringComparer.Ordinal);

    /// <summary>The handler for a request name, or null when the emulator does not support the message.</summary>
    public static MessageHandler? Find(string? requestName)
        => requestName is not null && Handlers.TryGetValue(requestName, out var handler) ? handler : null;

    /// <summary>The handler for a request name; a platform fault for a missing or unsupported name.</summary>
    public static MessageHandler Get(string? requestName)
    {
        if (string.IsNullOrEmpty(requestName))
        {
            throw OrgFaults.InvalidArgument("The request has no RequestName.");
        }

        return Find(requestName) ?? throw OrgFaults.Create(OrgErrorCodes.UnrecognizedRequest,
            $"Unrecognized request: the message '{requestName}' is not supported by the PartnerGuard emulator.");
    }
}
