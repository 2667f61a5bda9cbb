using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

using PartnerGuard.Emulator.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Emulator.Tests.Persistence;

public sealed class StateFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pg-emulator-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    // The whole org (ids, rows of every type, metadata, row versions) survives a save and load.
    [Fact]
    public void SaveThenLoad_RoundTripsRowsAndIdentity()
    {
        var org = DataverseOrg.Create();
        var service = org.GetService();
        var user = RoleAssignments.CreateAdministrator(org, "Owner");
        var parent = service.Create(new Entity("account") { ["name"] = "Parent", ["revenue"] = new Money(1234.5678m), ["customertypecode"] = new OptionSetValue(5) });
        var child = org.GetService(user).Create(new Entity("account")
        {
            ["name"] = "Child ✓", ["parentaccountid"] = new EntityReference("account", parent), ["numberofemployees"] = 7,
        });
        var path = Path.Combine(_folder, "org.json");
        org.Save(path);

        var loaded = DataverseOrg.Load(path);
        Assert.Equal(org.OrganizationId, loaded.OrganizationId);
        Assert.Equal(org.AdministratorId, loaded.AdministratorId);
        var before = service.Retrieve("account", child, new ColumnSet(true));
        var after = loaded.GetService().Retrieve("account", child, new ColumnSet(true));
        Assert.Equal(before.Attributes.Keys.OrderBy(k => k), after.Attributes.Keys.OrderBy(k => k));
        Assert.Equal(before.RowVersion, after.RowVersion);
        Assert.Equal("Child ✓", after["name"]);
        Assert.Equal(user, after.GetAttributeValue<EntityReference>("ownerid").Id);
        Assert.Equal("Parent", after.GetAttributeValue<EntityReference>("parentaccountid").Name);
        Assert.Equal(before["createdon"], after["createdon"]);
        var parentRow = loaded.GetService().Retrieve("account", parent, new ColumnSet("revenue", "revenue_base", "customertypecode"));
        Assert.Equal(1234.5678m, parentRow.GetAttributeValue<Money>("revenue").Value);
        Assert.Equal(5, parentRow.GetAttributeValue<OptionSetValue>("customertypecode").Value);

        // Row versions keep increasing after a load.
        loaded.GetService().Update(new Entity("account", child) { ["telephone1"] = "1" });
        var updated = loaded.GetService().Retrieve("account", child, new ColumnSet("telephone1"));
        Assert.True(long.Parse(updated.RowVersion) > long.Parse(after.RowVersion));
    }

    [Fact]
    public void Load_OtherFormatOrVersion_FailsWithClearMessage()
    {
        Directory.CreateDirectory(_folder);
        var notState = Path.Combine(_folder, "other.json");
        File.WriteAllText(notState, "{\"hello\":1}");
        Assert.Contains("not an emulator state file", Assert.Throws<InvalidDataException>(() => DataverseOrg.Load(notState)).Message);

        var future = Path.Combine(_folder, "future.json");
        File.WriteAllText(future, "{\"format\":\"partnerguard-emulator-state\",\"version\":99}");
        Assert.Contains("version 99", Assert.Throws<InvalidDataException>(() => DataverseOrg.Load(future)).Message);

        var broken = Path.Combine(_folder, "broken.json");
        File.WriteAllText(broken, "{not json");
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => DataverseOrg.Load(broken)).Message);
    }
}
