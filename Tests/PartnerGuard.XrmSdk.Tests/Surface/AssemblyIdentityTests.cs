using System.Reflection;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Surface;

public sealed class AssemblyIdentityTests
{
    // DESIGN.md §4: the stand-in has its own assembly name, never Microsoft.Xrm.Sdk, so a plugin built against it
    // can be recognised (the solution packer refuses it) and can never be mistaken for the official assembly.
    [Fact]
    public void StandIn_HasItsOwnName()
    {
        AssemblyName name = typeof(Entity).Assembly.GetName();

        Assert.Equal("PartnerGuard.XrmSdk", name.Name);
    }

    // The plugin assembly is strong-named (sdk-and-pipeline-notes.md §0.6), and a strong-named assembly can only
    // reference strong-named assemblies on .NET Framework, so the stand-in must be signed too.
    [Fact]
    public void StandIn_IsStrongNamed()
    {
        byte[]? token = typeof(Entity).Assembly.GetName().GetPublicKeyToken();

        Assert.NotNull(token);
        Assert.Equal(8, token.Length);
    }
}
