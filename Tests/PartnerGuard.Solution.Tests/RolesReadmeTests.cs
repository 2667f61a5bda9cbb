using PartnerGuard.Testing;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// solution/README.md lists every privilege of every PartnerGuard role with the reason it is there (issue #17 item 4);
/// the role XML is the single source, so the table must list exactly its privileges, at the same depths.
/// </summary>
public sealed class RolesReadmeTests
{
    private const string Section = "### Every privilege of the PartnerGuard roles, and why it is there";

    [Fact]
    public void Readme_ListsExactlyTheRolesPrivileges_EachWithAReason()
    {
        var rows = ReadmeRows().ToList();

        var inXml = Source.Solution.Roles
            .SelectMany(r => r.Root.Descendants("RolePrivilege").Select(p => ((string)r.Root.Attribute("name")!, (string)p.Attribute("name")!, (string)p.Attribute("level")!)))
            .Order().ToList();
        var inReadme = rows.Select(r => (r.Role, r.Privilege, r.Depth)).Order().ToList();

        Assert.Equal(inXml, inReadme);
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason), $"{r.Role} {r.Privilege} has no reason in solution/README.md"));
    }

    /// <summary>The table's rows: | role | `privilege` | depth | reason |.</summary>
    private static IEnumerable<(string Role, string Privilege, string Depth, string Reason)> ReadmeRows()
    {
        var lines = File.ReadAllLines(RepoPaths.Under("solution", "README.md"));
        var start = Array.IndexOf(lines, Section);
        Assert.True(start >= 0, $"solution/README.md has no section '{Section}'.");
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#')))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length == 6 && cells[1].StartsWith("PartnerGuard ", StringComparison.Ordinal))
            {
                yield return (cells[1], cells[2].Trim('`'), cells[3], cells[4]);
            }
        }
    }
}
