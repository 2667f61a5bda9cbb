namespace PartnerGuard.XrmSdk.Tests.Surface;

/// <summary>The outcome of comparing a set of types with the reference surface.</summary>
internal sealed record SurfaceReport(
    IReadOnlyList<string> Mismatches,
    IReadOnlyList<string> OmittedTypes,
    IReadOnlyList<string> OmittedMembers);

/// <summary>
/// Checks that types are a strict subset of the reference: every type appears there with the same kind,
/// modifier, base class and interfaces, and every public or protected member it declares appears there
/// for that type with the same signature. Reference types and members the types leave out are reported
/// as omissions, not mismatches.
/// </summary>
internal static class SurfaceChecker
{
    /// <summary>
    /// Interfaces the reference lists that the runtime's own base class supplies only on .NET Framework:
    /// System.Exception implements System.Runtime.InteropServices._Exception there, not on modern .NET.
    /// </summary>
    private static readonly HashSet<string> FrameworkOnlyInterfaces = new(StringComparer.Ordinal)
    {
        "System.Runtime.InteropServices._Exception",
    };

    public static SurfaceReport Compare(ReferenceSurface reference, IEnumerable<Type> types)
    {
        var mismatches = new List<string>();
        var omittedMembers = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (Type type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string name = SurfaceFormatter.TypeName(type);
            seen.Add(name);
            if (!reference.Types.TryGetValue(name, out ReferenceType? expected))
            {
                mismatches.Add($"{name}: public type is not in the reference.");
                continue;
            }

            string kind = SurfaceFormatter.Kind(type);
            string modifier = SurfaceFormatter.Modifier(type);
            if (kind != expected.Kind || modifier != expected.Modifier)
            {
                mismatches.Add($"{name}: declared as '{Describe(modifier, kind)}', the reference says '{Describe(expected.Modifier, expected.Kind)}'.");
            }

            CompareBases(type, name, expected, mismatches);

            var expectedMembers = new HashSet<string>(expected.Members, StringComparer.Ordinal);
            var actualMembers = new HashSet<string>(SurfaceFormatter.Members(type), StringComparer.Ordinal);
            foreach (string member in actualMembers.Where(m => !expectedMembers.Contains(m)).OrderBy(m => m, StringComparer.Ordinal))
            {
                mismatches.Add($"{name}: member '{member}' is not in the reference.");
            }

            omittedMembers.AddRange(expected.Members.Where(m => !actualMembers.Contains(m)).Select(m => $"{name}: {m}"));
        }

        var omittedTypes = reference.Types.Keys.Where(k => !seen.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        return new SurfaceReport(mismatches, omittedTypes, omittedMembers);
    }

    private static void CompareBases(Type type, string name, ReferenceType expected, List<string> mismatches)
    {
        IReadOnlyList<string> actual = SurfaceFormatter.Bases(type);
        var runtimeExtras = new HashSet<string>(RuntimeBaseInterfaces(type), StringComparer.Ordinal);

        // Interfaces the runtime's own base class adds on this framework (for example System.ISpanFormattable
        // on every enum in modern .NET) are not the stand-in's doing and are not compared.
        // IExtensibleDataObject: the official data types implement it (found by reflection on the official
        // 9.0.2.56 assembly, XrmSdk/README.md) but xrm-sdk-api.txt does not list it on any type.
        runtimeExtras.Add("System.Runtime.Serialization.IExtensibleDataObject");
        foreach (string extra in actual.Where(b => !expected.Bases.Contains(b) && !runtimeExtras.Contains(b)))
        {
            mismatches.Add($"{name}: base type or interface '{extra}' is not in the reference.");
        }

        foreach (string missing in expected.Bases.Where(b => !actual.Contains(b) && !FrameworkOnlyInterfaces.Contains(b)))
        {
            mismatches.Add($"{name}: base type or interface '{missing}' from the reference is missing.");
        }
    }

    /// <summary>Interfaces implemented by the nearest ancestor that belongs to the runtime rather than to the checked assembly.</summary>
    private static IEnumerable<string> RuntimeBaseInterfaces(Type type)
    {
        Type? ancestor = type.BaseType;
        while (ancestor != null && ancestor.Assembly == type.Assembly)
        {
            ancestor = ancestor.BaseType;
        }

        return ancestor == null ? [] : ancestor.GetInterfaces().Select(SurfaceFormatter.TypeName);
    }

    private static string Describe(string modifier, string kind) => modifier.Length == 0 ? kind : modifier + " " + kind;
}
