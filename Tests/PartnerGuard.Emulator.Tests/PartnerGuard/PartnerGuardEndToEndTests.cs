using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Emulator.Tests.PartnerGuard;

/// <summary>
/// PartnerGuard's plugins running in the emulator with the solution's own registrations (solution/src):
/// the channel decision of DESIGN §1 as a seller meets it through IOrganizationService.
/// </summary>
public sealed class PartnerGuardEndToEndTests
{
    private const int Partner = 723100000;
    private const int Direct = 723100001;
    private const int Unresolved = 723100002;

    private static (DataverseOrg Org, IOrganizationService Seller, IOrganizationService Admin) NewOrg(string? enforcementMode)
    {
        var solution = SolutionOrg.Create(typeof(global::PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly);
        var org = solution.Org;
        var loaded = solution.Loaded;
        Assert.Contains(loaded.Steps, s => s.Message == "Create" && s.Table == "opportunity");
        Assert.Contains(loaded.Steps, s => s.Message == "Update" && s.Table == "opportunity");
        if (enforcementMode is not null)
        {
            org.SetEnvironmentVariable("pg_EnforcementMode", enforcementMode);
        }

        var seller = RoleAssignments.CreateAdministrator(org, "Sam Seller");
        return (org, org.GetService(seller), org.GetService());
    }

    private static Guid Account(IOrganizationService service, string name, Action<Entity>? set = null)
    {
        var account = new Entity("account") { ["name"] = name };
        set?.Invoke(account);
        return service.Create(account);
    }

    private static Guid ActivePartner(IOrganizationService service, string name)
        => Account(service, name, a => a["customertypecode"] = new OptionSetValue(5));

    private static Entity Deal(Guid customer, string name = "Deal") => new("opportunity")
    {
        ["name"] = name,
        ["customerid"] = new EntityReference("account", customer),
        ["estimatedvalue"] = new Money(50_000m),
    };

    private static Entity Stored(IOrganizationService service, Guid id)
        => service.Retrieve("opportunity", id, new ColumnSet("pg_partnerid", "pg_channel", "pg_channelreason", "pg_channeldecidedon", "pg_directsalesruleid"));

    // DESIGN §1 step 5 with pg_EnforcementMode = Enforce: a deal with no partner and no rule is refused with PG-001;
    // the refusal is an InvalidPluginExecutionException, so the seller's client gets IsvAborted and nothing is stored.
    [Fact]
    public void Enforce_DealWithoutPartnerOrRule_IsBlockedWithPG001AndNothingIsStored()
    {
        var (org, seller, admin) = NewOrg("Enforce");
        var customer = Account(admin, "Contoso Ltd", a => a["revenue"] = new Money(100_000m));

        var fault = Faults.Expect(OrgErrorCodes.IsvAborted, () => seller.Create(Deal(customer)));

        Assert.Contains("(PartnerGuard PG-001)", fault.Message);
        Assert.Equal(0, org.Count("opportunity"));
    }

    // DESIGN §1 step 3: no partner on the deal, the customer has an assigned active partner → it is attached.
    [Fact]
    public void Enforce_AssignedPartnerIsAttached()
    {
        var (_, seller, admin) = NewOrg("Enforce");
        var partner = ActivePartner(admin, "Northwind Partners");
        var customer = Account(admin, "Fabrikam", a => a["pg_assignedpartnerid"] = new EntityReference("account", partner));

        var id = seller.Create(Deal(customer));

        var deal = Stored(seller, id);
        Assert.Equal(partner, deal.GetAttributeValue<EntityReference>("pg_partnerid").Id);
        Assert.Equal(Partner, deal.GetAttributeValue<OptionSetValue>("pg_channel").Value);
        Assert.False(string.IsNullOrWhiteSpace(deal.GetAttributeValue<string>("pg_channelreason")));
        Assert.True(deal.Contains("pg_channeldecidedon"));
    }

    // DESIGN §1 step 4: no partner, a published direct sales rule covers the customer → Direct, with the rule.
    [Fact]
    public void Enforce_DirectRuleIsRecorded()
    {
        var (_, seller, admin) = NewOrg("Enforce");
        var rule = admin.Create(new Entity("pg_directsalesrule")
        {
            ["pg_name"] = "Enterprise",
            ["pg_kind"] = new OptionSetValue(723100000),
            ["pg_measure"] = new OptionSetValue(723100000),
            ["pg_threshold"] = 1_000_000_000m,
            ["pg_priority"] = 1,
            ["pg_description"] = "Enterprise customers are handled by the direct team.",
        });
        var customer = Account(admin, "Big Corp", a => a["revenue"] = new Money(2_300_000_000m));

        var id = seller.Create(Deal(customer));

        var deal = Stored(seller, id);
        Assert.Equal(Direct, deal.GetAttributeValue<OptionSetValue>("pg_channel").Value);
        Assert.Equal(rule, deal.GetAttributeValue<EntityReference>("pg_directsalesruleid").Id);
        Assert.Contains("Enterprise", deal.GetAttributeValue<string>("pg_channelreason"));
        Assert.False(deal.Contains("pg_partnerid"));
    }

    // DESIGN §1 rollout mode: Audit (the default after import) never blocks and records Unresolved with the reason.
    [Fact]
    public void Audit_RecordsUnresolvedWithoutBlocking()
    {
        var (org, seller, admin) = NewOrg(enforcementMode: null);
        var customer = Account(admin, "Contoso Ltd");

        var id = seller.Create(Deal(customer));

        var deal = Stored(seller, id);
        Assert.Equal(Unresolved, deal.GetAttributeValue<OptionSetValue>("pg_channel").Value);
        Assert.False(string.IsNullOrWhiteSpace(deal.GetAttributeValue<string>("pg_channelreason")));
        Assert.Equal(1, org.Count("opportunity"));
    }

    // Bulk: UpdateMultiple fires the Update step once per opportunity (merged pipeline), so every deal is decided;
    // one blocked item rolls back the whole request on a standard table (bulk-operations.md).
    [Fact]
    public void Enforce_UpdateMultipleOfOpportunities_DecidesEachAndRollsBackOnBlock()
    {
        var (_, seller, admin) = NewOrg("Enforce");
        var first = ActivePartner(admin, "First Partner");
        var second = ActivePartner(admin, "Second Partner");
        var customers = Enumerable.Range(1, 3).Select(i => Account(admin, "Customer " + i)).ToArray();
        var deals = customers.Select(c =>
        {
            var deal = Deal(c);
            deal["pg_partnerid"] = new EntityReference("account", first);
            return seller.Create(deal);
        }).ToArray();

        var move = new EntityCollection(deals.Select(d => new Entity("opportunity", d) { ["pg_partnerid"] = new EntityReference("account", second) }).ToList())
        {
            EntityName = "opportunity",
        };
        seller.Execute(new UpdateMultipleRequest { Targets = move });
        Assert.All(deals, d =>
        {
            var stored = Stored(seller, d);
            Assert.Equal(second, stored.GetAttributeValue<EntityReference>("pg_partnerid").Id);
            Assert.Equal(Partner, stored.GetAttributeValue<OptionSetValue>("pg_channel").Value);
        });

        var clearOne = new EntityCollection(new List<Entity>
        {
            new("opportunity", deals[0]) { ["pg_partnerid"] = new EntityReference("account", first) },
            new("opportunity", deals[1]) { ["pg_partnerid"] = null },
        }) { EntityName = "opportunity" };
        var fault = Faults.Expect(OrgErrorCodes.IsvAborted, () => seller.Execute(new UpdateMultipleRequest { Targets = clearOne }));
        Assert.Contains("PG-001", fault.Message);
        Assert.Equal(second, Stored(seller, deals[0]).GetAttributeValue<EntityReference>("pg_partnerid").Id);
        Assert.Equal(second, Stored(seller, deals[1]).GetAttributeValue<EntityReference>("pg_partnerid").Id);
    }

    // The solution's schema loads: custom tables with their entity sets, lookups with targets from relationships,
    // choices with their options, and the environment variable definitions.
    [Fact]
    public void SolutionSchema_Loads()
    {
        var org = DataverseOrg.Create();
        var result = org.LoadSolution(RepoPaths.SolutionSource, registerSteps: false);
        Assert.Empty(result.Steps);
        Assert.Contains("pg_EnforcementMode", result.EnvironmentVariables);

        var rule = org.Metadata.Get("pg_directsalesrule");
        Assert.Equal("pg_directsalesrules", rule.EntitySetName);
        Assert.Equal("pg_directsalesruleid", rule.PrimaryIdColumn);
        Assert.Equal("pg_name", rule.PrimaryNameColumn);
        Assert.Equal(100, rule.FindColumn("pg_name")!.MaxLength);
        Assert.Contains(723100004, rule.FindColumn("pg_kind")!.Options);

        var partner = org.Metadata.Get("opportunity").FindColumn("pg_partnerid")!;
        Assert.Equal(new[] { "account" }, partner.Targets);
        Assert.Equal("pg_PartnerId", partner.SchemaName);
        Assert.Contains(723100003, org.Metadata.Get("opportunity").FindColumn("pg_channel")!.Options);
        Assert.Equal(2000, org.Metadata.Get("opportunity").FindColumn("pg_channelreason")!.MaxLength);

        // Choice labels (base language), which queries order choices by: a global option set, a table's state, a
        // two-option column; they survive a save and load of the org.
        var channelLabels = org.Metadata.Get("opportunity").FindColumn("pg_channel")!.OptionLabels;
        Assert.Equal("Bypassed", channelLabels[723100003]);
        Assert.Equal("Partner", channelLabels[723100000]);
        Assert.Equal("Inactive", rule.FindColumn("statecode")!.OptionLabels[1]);
        Assert.Equal(2, rule.FindColumn("pg_includesubsidiaries")!.OptionLabels.Count);
        var path = Path.Combine(Path.GetTempPath(), "pg-labels-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            org.Save(path);
            var reloaded = DataverseOrg.Load(path).Metadata.Get("opportunity").FindColumn("pg_channel")!.OptionLabels;
            Assert.Equal(channelLabels.OrderBy(p => p.Key), reloaded.OrderBy(p => p.Key));
        }
        finally
        {
            File.Delete(path);
        }

        // The loaded schema is enforced: a lookup to the wrong table and an unknown choice value are refused.
        var service = org.GetService();
        var contact = service.Create(new Entity("contact") { ["lastname"] = "x" });
        Faults.Expect(OrgErrorCodes.InvalidArgument,
            () => service.Create(new Entity("opportunity") { ["name"] = "x", ["pg_partnerid"] = new EntityReference("contact", contact) }));
        Faults.Expect(OrgErrorCodes.InvalidArgument,
            () => service.Create(new Entity("opportunity") { ["name"] = "x", ["pg_channel"] = new OptionSetValue(1) }));
    }
}
