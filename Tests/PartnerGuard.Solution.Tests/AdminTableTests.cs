using System.Xml.Linq;
using PartnerGuard.Testing;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// solution/README.md's "What each user sees after import" table is the list an admin checks against their org (issue
/// #13): it must name exactly the app, its areas and subareas, the dashboards, charts, views, forms and form sections in
/// solution/src, each once, under the table it belongs to.
/// </summary>
public sealed class AdminTableTests
{
    private const string Heading = "## What each user sees after import";

    [Fact]
    public void ReadmeTable_NamesExactlyTheComponentsOfTheSolution()
    {
        var listed = ReadmeRows().Order().ToList();
        var shipped = SourceComponents().Order().ToList();

        var missing = shipped.Except(listed).ToList();
        var extra = listed.Except(shipped).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"README table differs from solution/src. Not in the table: [{string.Join("; ", missing)}]. Not in solution/src: [{string.Join("; ", extra)}]");
        Assert.Equal(shipped, listed);
    }

    /// <summary>"kind|table|name" for each row of the table (table "—" for the app, its navigation and dashboards).</summary>
    private static IEnumerable<string> ReadmeRows()
    {
        var lines = File.ReadAllLines(RepoPaths.Under("solution", "README.md"));
        var start = Array.IndexOf(lines, Heading);
        Assert.True(start >= 0, $"solution/README.md has no '{Heading}' section");
        var section = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList();
        var header = section.FindIndex(l => l.StartsWith("| who | where | kind | table | name |", StringComparison.Ordinal));
        Assert.True(header >= 0, "the section has no table with the columns who, where, kind, table, name");

        foreach (var line in section.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var name = cells[5];
            Assert.True(name.Length > 2 && name.StartsWith('*') && name.EndsWith('*'), $"the name in '{line}' is not in italics");
            yield return $"{cells[3]}|{cells[4]}|{name.Trim('*')}";
        }
    }

    /// <summary>The same "kind|table|name" for each component in solution/src, named as the org shows it (its 1033 label).</summary>
    private static IEnumerable<string> SourceComponents()
    {
        var source = Source.Solution;
        static string Name(XElement component) => (string)component.Descendants("LocalizedName").First(n => (string?)n.Attribute("languagecode") == "1033").Attribute("description")!;
        static string Title(XElement node) => (string)node.Element("Titles")!.Elements("Title").First(t => (string?)t.Attribute("LCID") == "1033").Attribute("Title")!;

        foreach (var app in source.AppModules)
        {
            yield return $"app|—|{Name(app.Root)}";
        }

        foreach (var siteMap in source.AppModuleSiteMaps)
        {
            foreach (var area in siteMap.Root.Descendants("Area"))
            {
                yield return $"area|—|{Title(area)}";
            }

            foreach (var subArea in siteMap.Root.Descendants("SubArea"))
            {
                yield return $"subarea|—|{Title(subArea)}";
            }
        }

        foreach (var dashboard in source.Dashboards)
        {
            yield return $"dashboard|—|{Name(dashboard.Root)}";
        }

        foreach (var entity in source.Entities)
        {
            foreach (var chart in entity.Visualizations)
            {
                yield return $"chart|{entity.LogicalName}|{Name(chart.Root)}";
            }

            foreach (var view in entity.SavedQueries.SelectMany(v => v.Root.Elements("savedquery")))
            {
                yield return $"view|{entity.LogicalName}|{Name(view)}";
            }

            foreach (var form in entity.Forms.Where(f => !f.IsManagedVariant).SelectMany(f => f.Document.Root.Elements("systemform")))
            {
                yield return $"form|{entity.LogicalName}|{Name(form)}";
                foreach (var section in form.Descendants("section"))
                {
                    var label = section.Element("labels")?.Elements("label").FirstOrDefault(l => (string?)l.Attribute("languagecode") == "1033");
                    yield return $"section|{entity.LogicalName}|{(string?)label?.Attribute("description")}";
                }
            }
        }
    }
}
