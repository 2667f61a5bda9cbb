namespace PartnerGuard.SolutionModel;

/// <summary>An environment variable folder environmentvariabledefinitions/&lt;schemaname&gt;/ and the files in it.</summary>
public sealed record EnvironmentVariableSource(string FolderName, SourceDocument Definition, IReadOnlyList<string> Files);
