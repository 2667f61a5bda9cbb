namespace PartnerGuard.SolutionModel;

/// <summary>A plug-in assembly folder PluginAssemblies/&lt;Name&gt;-&lt;GUID&gt;/ with its &lt;Name&gt;.dll.data.xml.</summary>
public sealed record PluginAssemblySource(string FolderName, SourceDocument Data, string? DllPathInSource)
{
    /// <summary>The assembly's simple name, from the folder name &lt;Name&gt;-&lt;GUID&gt;.</summary>
    public string Name => FolderName.Length > 37 ? FolderName[..^37] : FolderName;

    public string FolderId => FolderName.Length > 37 ? FolderName[^36..] : "";

    public string DllFileName => Name + ".dll";
}
