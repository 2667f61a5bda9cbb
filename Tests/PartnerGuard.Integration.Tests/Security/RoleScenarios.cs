using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Integration.Tests.Security;

/// <summary>What a scenario did: whether it went through, and what it showed (where a refused privilege is named).</summary>
internal sealed record ScenarioResult(bool Succeeded, string Detail);

/// <summary>
/// The commands and screen actions the PartnerGuard roles exist for, each the smallest thing one user does: the role
/// tests run them with the committed roles (each must go through) and with one privilege removed (the one that needs it
/// must be refused, naming the privilege). A screen action is what the app sends for it, through the organization
/// service as the user.
/// </summary>
internal static class RoleScenarios
{
    public const string RulesDocument = """
        {
          "format": "partnerguard-rules/1",
          "rules": [
            { "id": "e1000000-0000-0000-0000-000000000001", "name": "Enterprise", "kind": "CustomerSizeAbove", "measure": "AnnualRevenue", "threshold": 900000000, "priority": 10, "description": "Global enterprises buy direct." },
            { "name": "Gamma house account", "kind": "NamedAccount", "accountId": "c1000000-0000-0000-0000-000000000003", "includeSubsidiaries": true, "priority": 5 }
          ]
        }
        """;

    /// <summary>Every scenario by name.</summary>
    public static IReadOnlyDictionary<string, Func<RoleOrg, Task<ScenarioResult>>> All { get; } = new Dictionary<string, Func<RoleOrg, Task<ScenarioResult>>>(StringComparer.Ordinal)
    {
        // The reassignment job, as its application user.
        ["job: plan"] = org => Command(org, "job", "plan", "--strategy", "territory", "--run-id", "p1"),
        ["job: apply --assign-owner --attach-open-opportunities"] = async org =>
        {
            await Planned(org, "a1");
            return await Command(org, "job", "apply", "--plan", "a1.csv", "--yes", "--assign-owner", "--attach-open-opportunities", "--output", "a1-report");
        },
        ["job: undo"] = async org =>
        {
            await Planned(org, "u1");
            var apply = await org.RunAsync("system", "apply", "--plan", "u1.csv", "--yes", "--assign-owner", "--output", "u1-apply");
            Assert.True(apply.Succeeded, apply.All);
            return await Command(org, "job", "undo", "--run", "u1", "--yes", "--output", "u1-undo");
        },
        ["job: distribute"] = org => Command(org, "job", "distribute", "--strategy", "balanced", "--wave-size", "10", "--run-id", "d1", "--yes", "--output", "d1"),
        ["job: audit"] = org => Command(org, "job", "audit", "--output", "audit"),
        ["job: statement"] = org => Command(org, "job", "statement", "--all", "--output", "statements"),
        ["job: rules export"] = org => Command(org, "job", "rules", "export", "exported.json"),
        ["job: simulate"] = async org =>
        {
            await File.WriteAllTextAsync(Path.Combine(org.Folder.Path, "draft.json"), RulesDocument);
            return await Command(org, "job", "simulate", "--rules", "draft.json", "--output", "sim");
        },

        // The administrator, holding only the Administrator role.
        ["admin: rules import --delete-missing"] = async org =>
        {
            await File.WriteAllTextAsync(Path.Combine(org.Folder.Path, "import.json"), RulesDocument);
            return await Command(org, "admin", "rules", "import", "import.json", "--yes", "--delete-missing", "--output", "import");
        },
        ["admin: rules publish"] = org => Command(org, "admin", "rules", "publish", "--output", "published"),
        ["admin: screen: set the enforcement mode"] = org => Screen(() =>
        {
            var admin = org.As(RoleOrg.RuleAdmin);
            var definition = admin.RetrieveMultiple(new QueryByAttribute("environmentvariabledefinition") { ColumnSet = new ColumnSet("schemaname"), Attributes = { "schemaname" }, Values = { "pg_EnforcementMode" } }).Entities.Single();
            var value = admin.Create(new Entity("environmentvariablevalue")
            {
                ["schemaname"] = "pg_EnforcementMode",
                ["value"] = "Enforce",
                ["environmentvariabledefinitionid"] = definition.ToEntityReference(),
            });
            admin.Update(new Entity("environmentvariablevalue", value) { ["value"] = "Audit" });
        }),
        ["admin: screen: the Channel health dashboard's deals"] = org => Screen(() =>
            Assert.NotEmpty(org.As(RoleOrg.RuleAdmin).RetrieveMultiple(new QueryExpression("opportunity") { ColumnSet = new ColumnSet("name", "pg_channel") }).Entities)),
        ["admin: screen: open and delete a reassignment run"] = org => Screen(() =>
        {
            var run = org.Org.GetService().Create(new Entity("pg_reassignmentrun") { ["pg_name"] = "old-run" });
            var admin = org.As(RoleOrg.RuleAdmin);
            Assert.Equal("old-run", admin.Retrieve("pg_reassignmentrun", run, new ColumnSet("pg_name")).GetAttributeValue<string>("pg_name"));
            admin.Delete("pg_reassignmentrun", run);
        }),

        // A seller, holding the Seller role and the basic sales privileges.
        ["seller: create and update a deal"] = org => Screen(() =>
        {
            var seller = org.As(RoleOrg.Seller);
            // The form's Customer and Partner lookups search accounts first.
            Assert.NotEmpty(seller.RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("name") }).Entities);
            var deal = seller.Create(new Entity("opportunity") { ["name"] = "Beta pilot", ["customerid"] = new EntityReference("account", RoleOrg.Beta), ["estimatedvalue"] = new Money(20_000m) });
            seller.Update(new Entity("opportunity", deal) { ["customerid"] = new EntityReference("account", RoleOrg.Gamma) });
            var stored = seller.Retrieve("opportunity", deal, new ColumnSet("pg_channel", "pg_directsalesruleid"));
            Assert.Equal(RoleOrg.EnterpriseRule, stored.GetAttributeValue<EntityReference>("pg_directsalesruleid")?.Id);
        }),
        ["seller: create a deal for a contact"] = org => Screen(() =>
        {
            var seller = org.As(RoleOrg.Seller);
            Assert.NotEmpty(seller.RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("fullname") }).Entities);
            seller.Create(new Entity("opportunity") { ["name"] = "Carla renewal", ["customerid"] = new EntityReference("contact", RoleOrg.Carla), ["estimatedvalue"] = new Money(5_000m) });
        }),
        ["seller: screen: pick the deal's currency"] = org => Screen(() =>
            Assert.NotEmpty(org.As(RoleOrg.Seller).RetrieveMultiple(new QueryExpression("transactioncurrency") { ColumnSet = new ColumnSet("isocurrencycode") }).Entities)),
        ["seller: check the channel on the form"] = org => Screen(() =>
        {
            var response = org.As(RoleOrg.Seller).Execute(new OrganizationRequest("pg_CheckChannel") { ["Customer"] = new EntityReference("account", RoleOrg.Gamma), ["EstimatedValue"] = new Money(20_000m) });
            Assert.Equal("Direct", response.Results["Outcome"]);
        }),
        ["seller: screen: the Rules and Runs areas"] = org => Screen(() =>
        {
            var seller = org.As(RoleOrg.Seller);
            org.Org.GetService().Create(new Entity("pg_reassignmentrun") { ["pg_name"] = "seen-run" });
            Assert.NotEmpty(seller.RetrieveMultiple(new QueryExpression("pg_directsalesrule") { ColumnSet = new ColumnSet("pg_name") }).Entities);
            Assert.NotEmpty(seller.RetrieveMultiple(new QueryExpression("pg_reassignmentrun") { ColumnSet = new ColumnSet("pg_name") }).Entities);
        }),
    };

    /// <summary>A plan written by the unrestricted administrator, so the job's own command is the only one under test.</summary>
    private static async Task Planned(RoleOrg org, string runId)
    {
        var plan = await org.RunAsync("system", "plan", "--strategy", "territory", "--run-id", runId);
        Assert.True(plan.Succeeded, plan.All);
    }

    private static async Task<ScenarioResult> Command(RoleOrg org, string token, params string[] args)
    {
        var run = await org.RunAsync(token, args);
        return new ScenarioResult(run.Succeeded, $"exit {run.ExitCode}{Environment.NewLine}{run.All}");
    }

    private static Task<ScenarioResult> Screen(Action action)
    {
        try
        {
            action();
            return Task.FromResult(new ScenarioResult(true, "done"));
        }
        catch (System.ServiceModel.FaultException<OrganizationServiceFault> fault)
        {
            return Task.FromResult(new ScenarioResult(false, $"0x{fault.Detail.ErrorCode:X8}: {fault.Detail.Message}"));
        }
    }
}

/// <summary>How a refusal for a missing privilege shows: Dataverse's error code and its message naming the privilege.</summary>
internal static class RoleChecks
{
    /// <summary>Dataverse's PrivilegeDenied error code (0x80040220).</summary>
    public const string PrivilegeDenied = "0x80040220";

    public static bool NamesAMissingPrivilege(string text) =>
        text.Contains(PrivilegeDenied, StringComparison.OrdinalIgnoreCase) || text.Contains("-2147220960", StringComparison.Ordinal);

    /// <summary>True when the text shows the refusal of <paramref name="privilege"/> (names compared case-insensitively, as Dataverse does).</summary>
    public static bool NamesRefusalOf(string text, string privilege) =>
        NamesAMissingPrivilege(text) && text.Contains(privilege, StringComparison.OrdinalIgnoreCase);
}
