using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PartnerGuard.Testing;

namespace PartnerGuard.Plugins.Tests.Guards;

/// <summary>
/// DESIGN §3: the net462 plug-in assembly is deployable alone: strong-named, referencing nothing beyond the
/// .NET Framework and the SDK (Learn, "Build and package plug-in code": a standalone plug-in assembly must be
/// signed, and the sandbox provides only the framework and the SDK assemblies).
/// </summary>
public sealed class DeployableAloneTests
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "mscorlib", "System", "System.Core", "System.Runtime.Serialization", "System.ServiceModel",
        "Microsoft.Xrm.Sdk", "Microsoft.Crm.Sdk.Proxy",
        "PartnerGuard.XrmSdk", // the offline stand-in; the packer refuses plug-ins built against it (DESIGN §4)
    };

    [Fact]
    public void Net462Build_ReferencesOnlyTheFrameworkAndTheSdk_AndIsStrongNamed()
    {
        var configuration = typeof(DeployableAloneTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var path = Path.Combine(RepoPaths.Root, "Plugins", "bin", configuration, "net462", "PartnerGuard.Plugins.dll");
        Assert.True(File.Exists(path), "Build the plug-in first: " + path);

        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
        var definition = metadata.GetAssemblyDefinition();

        var unexpected = references.Where(r => !Allowed.Contains(r)).ToList();
        Assert.True(unexpected.Count == 0, "Unexpected references: " + string.Join(", ", unexpected));
        Assert.Contains("mscorlib", references);
        Assert.False(definition.PublicKey.IsNil, "The plug-in assembly must be strong-named.");
        Assert.Equal(".NETFramework,Version=v4.6.2", TargetFramework(metadata));
    }

    private static string? TargetFramework(MetadataReader metadata)
    {
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind == HandleKind.MemberReference)
            {
                var member = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                var type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
                if (metadata.GetString(type.Name) == "TargetFrameworkAttribute")
                {
                    var blob = metadata.GetBlobReader(attribute.Value);
                    blob.ReadUInt16(); // prolog
                    return blob.ReadSerializedString();
                }
            }
        }

        return null;
    }
}
