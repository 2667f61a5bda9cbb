using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>
/// Entities/*/Formulas/* (calculated and rollup column definitions) against the columns that point at them, and the
/// whole-section files Other/EntityMaps.xml and Other/FieldSecurityProfiles.xml.
/// </summary>
internal sealed partial class SolutionValidator
{
    private void ValidateFormulas(EntitySource entity)
    {
        var files = entity.Formulas.ToDictionary(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase);
        var referenced = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in entity.Attributes)
        {
            if (attribute.Element("FormulaDefinitionFileName") is not { } reference)
            {
                continue;
            }

            var path = ((string?)reference ?? "").Trim();
            var name = path.StartsWith("/Formulas/", StringComparison.OrdinalIgnoreCase) ? path["/Formulas/".Length..] : null;
            if (name is null || name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
            {
                Problem(entity.Entity, reference, $"FormulaDefinitionFileName '{path}' must be /Formulas/<file>");
            }
            else if (!files.ContainsKey(name))
            {
                Problem(entity.Entity, reference, $"the column's formula {path} has no file Entities/{entity.FolderName}/Formulas/{name}");
            }
            else
            {
                referenced.Add(name);
            }
        }

        foreach (var (name, relative) in files.Where(f => !referenced.Contains(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            _problems.Add(new SourceProblem(relative, $"no column of '{entity.SchemaName}' names this formula in its FormulaDefinitionFileName (/Formulas/{name})"));
        }
    }

    private void ValidateSection(SourceDocument? document, string section)
    {
        if (document is not null && document.Root.Name != section)
        {
            Problem(document, document.Root, $"the root must be <{section}>; its children become the <{section}> section of customizations.xml");
        }
    }
}
