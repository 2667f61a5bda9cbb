using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace PartnerGuard.Packer;

/// <summary>A class declared in a plugin assembly, as read from its metadata (the assembly is never loaded).</summary>
/// <param name="IsWorkflowActivity">Derives from System.Activities.CodeActivity: a custom workflow activity.</param>
public sealed record PluginAssemblyType(string FullName, bool IsPublic, bool IsAbstract, bool ImplementsIPlugin, bool IsWorkflowActivity = false);

/// <summary>
/// What the packer needs to know about a built plugin assembly, read with System.Reflection.Metadata:
/// identity (for FullName, AssemblyQualifiedName, PluginTypeName and the type-91 root component),
/// the assemblies it references (to tell the official SDK from the offline stand-in), and its classes.
/// </summary>
public sealed class PluginAssemblyMetadata
{
    /// <summary>The official SDK assembly a deployable plugin references.</summary>
    public const string OfficialSdkAssembly = "Microsoft.Xrm.Sdk";

    /// <summary>The offline stand-in's assembly name (XrmSdk/PartnerGuard.XrmSdk.csproj).</summary>
    public const string StandInSdkAssembly = "PartnerGuard.XrmSdk";

    private const string IPluginFullName = "Microsoft.Xrm.Sdk.IPlugin";
    private const string CodeActivityFullName = "System.Activities.CodeActivity";

    private PluginAssemblyMetadata(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
    }

    public string Path { get; }
    public byte[] Bytes { get; }
    public string Name { get; private set; } = "";
    public Version Version { get; private set; } = new();
    public string Culture { get; private set; } = "neutral";
    public string PublicKeyToken { get; private set; } = "";
    public bool IsStrongNameSigned { get; private set; }
    public IReadOnlyList<string> References { get; private set; } = [];
    public IReadOnlyList<PluginAssemblyType> Types { get; private set; } = [];

    /// <summary>"Name, Version=a.b.c.d, Culture=neutral, PublicKeyToken=…", the form Dataverse stores.</summary>
    public string FullName => $"{Name}, Version={Version}, Culture={Culture}, PublicKeyToken={(PublicKeyToken.Length == 0 ? "null" : PublicKeyToken)}";

    public bool ReferencesStandInSdk => References.Contains(StandInSdkAssembly, StringComparer.OrdinalIgnoreCase);

    public bool ReferencesOfficialSdk => References.Contains(OfficialSdkAssembly, StringComparer.OrdinalIgnoreCase);

    /// <summary>.NET Framework assemblies reference mscorlib; .NET (Core) assemblies reference System.Runtime.</summary>
    public bool TargetsNetFramework => References.Contains("mscorlib", StringComparer.OrdinalIgnoreCase);

    public PluginAssemblyType? FindType(string fullName) =>
        Types.FirstOrDefault(t => string.Equals(t.FullName, fullName, StringComparison.Ordinal));

    /// <summary>Reads the assembly at <paramref name="path"/>; throws <see cref="BadImageFormatException"/> when it is not a .NET assembly.</summary>
    public static PluginAssemblyMetadata Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var result = new PluginAssemblyMetadata(path, bytes);
        using var pe = new PEReader(new MemoryStream(bytes, writable: false));
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException($"{path} is not a .NET assembly (it has no metadata).");
        }

        var md = pe.GetMetadataReader();
        if (!md.IsAssembly)
        {
            throw new BadImageFormatException($"{path} is a module, not an assembly.");
        }

        var definition = md.GetAssemblyDefinition();
        result.Name = md.GetString(definition.Name);
        result.Version = definition.Version;
        var culture = md.GetString(definition.Culture);
        result.Culture = culture.Length == 0 ? "neutral" : culture;
        var publicKey = md.GetBlobBytes(definition.PublicKey);
        result.PublicKeyToken = publicKey.Length == 0 ? "" : TokenOf(publicKey);
        result.IsStrongNameSigned = publicKey.Length > 0
            && (pe.PEHeaders.CorHeader?.Flags & CorFlags.StrongNameSigned) == CorFlags.StrongNameSigned;
        result.References = md.AssemblyReferences
            .Select(h => md.GetString(md.GetAssemblyReference(h).Name))
            .Order(StringComparer.Ordinal)
            .ToList();
        result.Types = ReadTypes(md);
        return result;
    }

    /// <summary>The public key token: the last 8 bytes of the SHA-1 of the public key, reversed (ECMA-335 II.6.2.1.3).</summary>
    private static string TokenOf(byte[] publicKey)
    {
        var hash = SHA1.HashData(publicKey);
        var token = hash[^8..];
        Array.Reverse(token);
        return Convert.ToHexStringLower(token);
    }

    private static List<PluginAssemblyType> ReadTypes(MetadataReader md)
    {
        var byHandle = new Dictionary<TypeDefinitionHandle, string>();
        foreach (var handle in md.TypeDefinitions)
        {
            byHandle[handle] = FullNameOf(md, handle);
        }

        var memo = new Dictionary<TypeDefinitionHandle, bool>();
        var types = new List<PluginAssemblyType>();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            var attributes = type.Attributes;
            if ((attributes & TypeAttributes.Interface) != 0)
            {
                continue;
            }

            var visibility = attributes & TypeAttributes.VisibilityMask;
            types.Add(new PluginAssemblyType(
                byHandle[handle],
                visibility is TypeAttributes.Public or TypeAttributes.NestedPublic,
                (attributes & TypeAttributes.Abstract) != 0,
                ImplementsIPlugin(md, handle, memo, depth: 0),
                DerivesFrom(md, handle, CodeActivityFullName, depth: 0)));
        }

        return types;
    }

    private static bool ImplementsIPlugin(MetadataReader md, TypeDefinitionHandle handle, Dictionary<TypeDefinitionHandle, bool> memo, int depth)
    {
        if (memo.TryGetValue(handle, out var known))
        {
            return known;
        }

        if (depth > 64)
        {
            return false;
        }

        var type = md.GetTypeDefinition(handle);
        var result = type.GetInterfaceImplementations()
            .Select(i => NameOf(md, md.GetInterfaceImplementation(i).Interface))
            .Any(n => n == IPluginFullName);

        // A plugin may inherit IPlugin from a base class declared in the same assembly.
        if (!result && !type.BaseType.IsNil && type.BaseType.Kind == HandleKind.TypeDefinition)
        {
            result = ImplementsIPlugin(md, (TypeDefinitionHandle)type.BaseType, memo, depth + 1);
        }

        memo[handle] = result;
        return result;
    }

    /// <summary>Whether the class's base chain (through classes of this assembly) reaches the named base class.</summary>
    private static bool DerivesFrom(MetadataReader md, TypeDefinitionHandle handle, string baseFullName, int depth)
    {
        var baseType = md.GetTypeDefinition(handle).BaseType;
        if (baseType.IsNil || depth > 64)
        {
            return false;
        }

        return NameOf(md, baseType) == baseFullName
            || (baseType.Kind == HandleKind.TypeDefinition && DerivesFrom(md, (TypeDefinitionHandle)baseType, baseFullName, depth + 1));
    }

    private static string NameOf(MetadataReader md, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => FullNameOf(md, (TypeDefinitionHandle)handle),
        HandleKind.TypeReference => FullNameOf(md, md.GetTypeReference((TypeReferenceHandle)handle)),
        _ => "",
    };

    private static string FullNameOf(MetadataReader md, TypeReference reference)
    {
        var name = md.GetString(reference.Name);
        var ns = md.GetString(reference.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static string FullNameOf(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        var name = md.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullNameOf(md, declaring) + "+" + name;
        }

        var ns = md.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
