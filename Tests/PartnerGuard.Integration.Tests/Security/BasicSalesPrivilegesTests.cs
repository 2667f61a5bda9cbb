using PartnerGuard.Integration.Embedded;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Security;

/// <summary>
/// The basic sales privileges a seller holds beside the Seller role are defined once (<see cref="BasicSalesPrivileges"/>)
/// and stated in solution/README.md for the admins who give them; the two must agree.
/// </summary>
public sealed class BasicSalesPrivilegesTests
{
    private const string Section = "### Basic sales privileges a seller also needs";

    [Fact]
    public void Readme_StatesExactlyTheBasicSalesPrivileges()
    {
        var lines = File.ReadAllLines(RepoPaths.Under("solution", "README.md"));
        var start = Array.IndexOf(lines, Section);
        Assert.True(start >= 0, $"solution/README.md has no section '{Section}'.");

        var inReadme = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#'))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length == 5 && c[1].StartsWith("`prv", StringComparison.Ordinal))
            .Select(c => (c[1].Trim('`'), c[2]))
            .ToList();

        Assert.Equal(BasicSalesPrivileges.All, inReadme);
    }

    [Fact]
    public void BasicSalesPrivileges_TouchNoPartnerGuardTable()
    {
        // What a seller needs of PartnerGuard is in the Seller role; the sales role is the customer's own.
        Assert.All(BasicSalesPrivileges.All, p => Assert.DoesNotContain("pg_", p.Privilege, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(BasicSalesPrivileges.All.Count, BasicSalesPrivileges.All.Select(p => p.Privilege).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
