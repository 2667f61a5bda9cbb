using System.Reflection;
using PartnerGuard.Policy;
using PartnerGuard.Testing;

namespace PartnerGuard.Policy.Tests.Guards;

/// <summary>DESIGN §3: Policy knows nothing of the SDK. Checked on compiled signatures and on the source text.</summary>
public sealed class PolicyIndependenceTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void PolicyTypes_ReferenceNoXrmTypeInAnySignature()
    {
        var policyTypes = typeof(ChannelPolicy).Assembly.GetTypes()
            .Where(t => t.Namespace is not null && t.Namespace.StartsWith(typeof(ChannelPolicy).Namespace!, StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(policyTypes);

        var offenders = new List<string>();
        foreach (var type in policyTypes)
        {
            Check(type.Name + " base", type.BaseType);
            foreach (var implemented in type.GetInterfaces())
            {
                Check(type.Name + " implements", implemented);
            }

            foreach (var field in type.GetFields(All))
            {
                Check(type.Name + "." + field.Name, field.FieldType);
            }

            foreach (var property in type.GetProperties(All))
            {
                Check(type.Name + "." + property.Name, property.PropertyType);
            }

            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (method is MethodInfo info)
                {
                    Check(type.Name + "." + method.Name + " returns", info.ReturnType);
                }

                foreach (var parameter in method.GetParameters())
                {
                    Check(type.Name + "." + method.Name + "(" + parameter.Name + ")", parameter.ParameterType);
                }

                foreach (var local in method.GetMethodBody()?.LocalVariables ?? (IList<LocalVariableInfo>)Array.Empty<LocalVariableInfo>())
                {
                    Check(type.Name + "." + method.Name + " local", local.LocalType);
                }
            }
        }

        Assert.Empty(offenders);

        void Check(string where, Type? type)
        {
            if (type is null)
            {
                return;
            }

            if (type.HasElementType)
            {
                Check(where, type.GetElementType());
                return;
            }

            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    Check(where, argument);
                }
            }

            var name = type.Namespace ?? string.Empty;
            if (name.StartsWith("Microsoft.Xrm", StringComparison.Ordinal) || name.StartsWith("Microsoft.Crm", StringComparison.Ordinal) || type.Assembly.GetName().Name == "PartnerGuard.XrmSdk")
            {
                offenders.Add(where + ": " + type.FullName);
            }
        }
    }

    [Fact]
    public void PolicyAssembly_ReferencesNoSdkAssembly()
    {
        var references = typeof(ChannelPolicy).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("System.Runtime", references);
        Assert.DoesNotContain(references, name => name!.StartsWith("Microsoft.Xrm", StringComparison.Ordinal) || name.StartsWith("Microsoft.Crm", StringComparison.Ordinal) || name == "PartnerGuard.XrmSdk");
    }

    [Fact]
    public void PolicySources_MentionNoSdkNamespace()
    {
        var folder = Path.Combine(RepoPaths.Root, "Plugins", "Policy");
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);

        var offenders = files.Where(f => File.ReadAllText(f).Contains("Microsoft.Xrm") || File.ReadAllText(f).Contains("Microsoft.Crm")).ToList();

        Assert.Empty(offenders);
    }
}
