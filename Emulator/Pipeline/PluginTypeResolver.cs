using System.Reflection;

namespace PartnerGuard.Emulator.Pipeline;

/// <summary>
/// Ready-made values for <see cref="DataverseOrgOptions.PluginTypeResolver"/>: the emulator references no plug-in
/// assembly, so the host says where the plug-in types a solution's steps name are found.
/// </summary>
public static class PluginTypeResolver
{
    /// <summary>Resolves types from the given assemblies, matched by simple assembly name (case-insensitive).</summary>
    public static Func<string, string, Type?> FromAssemblies(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        return (assemblyName, typeName) => assemblies
            .FirstOrDefault(a => string.Equals(a.GetName().Name, assemblyName, StringComparison.OrdinalIgnoreCase))
            ?.GetType(typeName);
    }

    /// <summary>Adapts a resolver to the assembly-qualified names ("Type, Assembly, Version=…") steps carry.</summary>
    internal static Func<string, Type?> ForQualifiedNames(Func<string, string, Type?> resolver)
        => qualifiedName =>
        {
            var parts = qualifiedName.Split(',', 3, StringSplitOptions.TrimEntries);
            return resolver(parts.Length > 1 ? parts[1] : string.Empty, parts[0]);
        };
}
