namespace PartnerGuard.Packer;

/// <summary>Other/Relationships*: relationships, the index that lists them, and a relationship for every custom lookup.</summary>
internal sealed partial class SolutionValidator
{
    private void ValidateRelationships()
    {
        var names = new Dictionary<string, SourceDocument>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in _source.RelationshipFiles)
        {
            if (file.Root.Name != "EntityRelationships")
            {
                Problem(file, file.Root, "the root must be <EntityRelationships>");
                continue;
            }

            foreach (var relationship in file.Root.Elements("EntityRelationship"))
            {
                var name = (string?)relationship.Attribute("Name") ?? "";
                if (!names.TryAdd(name, file))
                {
                    Problem(file, relationship, $"the relationship '{name}' is defined twice (also in {names[name].RelativePath})");
                }

                var referenced = (string?)relationship.Element("ReferencedEntityName") ?? "";
                var referencing = (string?)relationship.Element("ReferencingEntityName") ?? "";
                var attributeName = (string?)relationship.Element("ReferencingAttributeName") ?? "";
                if ((string?)relationship.Element("EntityRelationshipType") == "OneToMany"
                    && !string.Equals(Path.GetFileNameWithoutExtension(file.RelativePath), referenced, StringComparison.OrdinalIgnoreCase))
                {
                    Problem(file, relationship, $"the one-to-many relationship '{name}' belongs in Other/Relationships/{referenced}.xml, the file of the referenced table");
                }

                if (_source.FindEntity(referencing) is { } entity)
                {
                    var attribute = entity.FindAttribute(attributeName);
                    if (attribute is null)
                    {
                        if (entity.IsDefinedHere || HasPrefix(attributeName))
                        {
                            Problem(file, relationship, $"the relationship '{name}' names the lookup '{attributeName}', which is not a column of '{referencing}'");
                        }
                    }
                    else if (!SolutionRules.RelationshipColumnTypes.Contains((string?)attribute.Element("Type") ?? ""))
                    {
                        Problem(file, relationship, $"the relationship '{name}' names '{attributeName}', which is a {(string?)attribute.Element("Type")} column, not a lookup");
                    }
                }
            }
        }

        if (_source.RelationshipIndex is { } index)
        {
            var listed = index.Root.Elements("EntityRelationship").Select(e => (string?)e.Attribute("Name") ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var missing in names.Keys.Where(n => !listed.Contains(n)).Order(StringComparer.Ordinal))
            {
                Problem(index, index.Root, $"the relationship '{missing}' (in {names[missing].RelativePath}) is not listed here");
            }

            foreach (var extra in listed.Where(n => !names.ContainsKey(n)).Order(StringComparer.Ordinal))
            {
                Problem(index, index.Root, $"lists the relationship '{extra}', which no file under Other/Relationships/ defines");
            }
        }

        // Every custom lookup needs its relationship: that is where its target table is declared.
        foreach (var entity in _source.Entities)
        {
            foreach (var attribute in entity.Attributes.Where(a => (string?)a.Element("Type") == "lookup" && (string?)a.Element("IsCustomField") == "1"))
            {
                var logical = EntitySource.AttributeLogicalName(attribute);
                var declared = _source.Relationships.Any(r =>
                    string.Equals((string?)r.Element("ReferencingEntityName"), entity.SchemaName, StringComparison.OrdinalIgnoreCase)
                    && string.Equals((string?)r.Element("ReferencingAttributeName"), logical, StringComparison.OrdinalIgnoreCase));
                if (!declared)
                {
                    Problem(entity.Entity, attribute, $"the lookup '{logical}' has no relationship in Other/Relationships/, so its target table is unknown");
                }
            }
        }
    }
}
