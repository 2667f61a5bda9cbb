namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>How the console obtains tokens for Dataverse.</summary>
internal enum AuthKind
{
    /// <summary>Application user with a client secret (<c>AuthType=ClientSecret</c>).</summary>
    ClientSecret,

    /// <summary>Application user with a certificate from the store (<c>AuthType=Certificate</c>).</summary>
    Certificate,

    /// <summary>A person signs in at a terminal with a device code (<c>AuthType=OAuth</c>).</summary>
    OAuth,

    /// <summary>The Azure managed identity of the host (<c>AuthType=ManagedIdentity</c>, a PartnerGuard extension).</summary>
    ManagedIdentity,

    /// <summary>
    /// A local PartnerGuard emulator on a loopback address (<c>AuthType=Emulator;Url=http://127.0.0.1:PORT;User=NAME</c>,
    /// a PartnerGuard extension): no sign-in; the optional user name is sent as the bearer token, absent means the administrator.
    /// </summary>
    Emulator,
}
