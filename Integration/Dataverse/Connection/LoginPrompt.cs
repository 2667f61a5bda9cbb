namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>The ServiceClient <c>LoginPrompt</c> values; only OAuth sign-in looks at them.</summary>
internal enum LoginPrompt
{
    Auto,
    Always,
    Never,
    SelectAccount,
    RefreshSession,
}
