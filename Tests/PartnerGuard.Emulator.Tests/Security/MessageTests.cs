using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Security;
using PartnerGuard.Emulator.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Emulator.Tests.Security;

/// <summary>
/// The privileges each message checks. Sources: Microsoft Learn "Security concepts in Microsoft Dataverse" (Create,
/// Read, Write, Delete, Append, Append To, Assign, Share), the Dynamics 365 SDK's "Privileges by message" pages
/// (Associate on a many-to-many relationship: Write and Append on the target, AppendTo on the related row), and
/// shared/reference/webapi-notes.md (Assign needs prvAssign{Table}).
/// </summary>
public sealed class MessageTests
{
    private const PrivilegeDepth Global = PrivilegeDepth.Global;

    private static (SecurityWorld World, IOrganizationService Seller) Seller(params (string, PrivilegeDepth)[] privileges)
    {
        var world = new SecurityWorld();
        world.Grant(world.SalesUser, privileges);
        return (world, world.Org.GetService(world.SalesUser));
    }

    private static string MissingPrivilege(Action action) => MissingPrivilegeName(Faults.Expect(OrgErrorCodes.PrivilegeDenied, action).Message);

    private static string MissingPrivilegeName(string message)
    {
        var start = message.IndexOf("is missing ", StringComparison.Ordinal) + "is missing ".Length;
        return message[start..message.IndexOf(' ', start)];
    }

    [Fact]
    public void Create_NeedsCreate_ThenAppendAndAppendToForEachLookupSet()
    {
        var (world, seller) = Seller(("prvCreateAccount", Global), ("prvReadAccount", Global));
        var parent = world.AccountOf(world.RootUser);
        seller.Create(new Entity("account") { ["name"] = "No lookups" });

        Assert.Equal("prvAppendAccount", MissingPrivilege(() => seller.Create(new Entity("account") { ["name"] = "Child", ["parentaccountid"] = new EntityReference("account", parent) })));
        world.Grant(world.SalesUser, ("prvAppendAccount", Global));
        Assert.Equal("prvAppendToAccount", MissingPrivilege(() => seller.Create(new Entity("account") { ["name"] = "Child", ["parentaccountid"] = new EntityReference("account", parent) })));
        world.Grant(world.SalesUser, ("prvAppendToAccount", Global));
        seller.Create(new Entity("account") { ["name"] = "Child", ["parentaccountid"] = new EntityReference("account", parent) });

        Assert.Equal(7, world.Org.Count("account"));
    }

    [Fact]
    public void Update_NeedsWrite_AndAppendAppendToOnlyForLookupsItChanges()
    {
        var (world, seller) = Seller(("prvReadAccount", Global));
        var mine = world.AccountOf(world.SalesUser);
        var parent = world.AccountOf(world.RootUser);

        Assert.Equal("prvWriteAccount", MissingPrivilege(() => seller.Update(new Entity("account", mine) { ["name"] = "Renamed" })));
        world.Grant(world.SalesUser, ("prvWriteAccount", Global));
        seller.Update(new Entity("account", mine) { ["name"] = "Renamed" });
        Assert.Equal("prvAppendAccount", MissingPrivilege(() => seller.Update(new Entity("account", mine) { ["parentaccountid"] = new EntityReference("account", parent) })));

        world.Grant(world.SalesUser, ("prvAppendAccount", Global), ("prvAppendToAccount", Global));
        seller.Update(new Entity("account", mine) { ["parentaccountid"] = new EntityReference("account", parent) });
        Assert.Equal(parent, seller.Retrieve("account", mine, new ColumnSet("parentaccountid")).GetAttributeValue<EntityReference>("parentaccountid").Id);
    }

    [Fact]
    public void Update_OutsideTheWriteDepth_IsTheAccessCheckFault()
    {
        var (world, seller) = Seller(("prvReadAccount", Global), ("prvWriteAccount", PrivilegeDepth.Basic));
        seller.Update(new Entity("account", world.AccountOf(world.SalesUser)) { ["name"] = "Mine, renamed" });

        var fault = Faults.Expect(OrgErrorCodes.AccessCheckFailed, () => seller.Update(new Entity("account", world.AccountOf(world.SalesColleague)) { ["name"] = "Theirs" }));
        Assert.Contains("does not have WriteAccess right(s)", fault.Message, StringComparison.Ordinal);
    }

    // Changing the owner is an assignment: an Update that sets ownerid needs Assign, and so does the Assign message
    // (which does not need Write).
    [Fact]
    public void OwnerChange_NeedsAssign_ByUpdateOrAssign()
    {
        var (world, seller) = Seller(("prvReadAccount", Global), ("prvWriteAccount", Global));
        var mine = world.AccountOf(world.SalesUser);
        var colleague = new EntityReference("systemuser", world.SalesColleague);

        Assert.Equal("prvAssignAccount", MissingPrivilege(() => seller.Update(new Entity("account", mine) { ["ownerid"] = colleague })));
        Assert.Equal("prvAssignAccount", MissingPrivilege(() => seller.Execute(new AssignRequest { Target = new EntityReference("account", mine), Assignee = colleague })));

        var (other, assigner) = Seller(("prvReadAccount", Global), ("prvAssignAccount", Global));
        assigner.Execute(new AssignRequest { Target = new EntityReference("account", other.AccountOf(other.SalesUser)), Assignee = new EntityReference("systemuser", other.SalesColleague) });
        Assert.Equal(2, other.Org.GetService().RetrieveMultiple(new QueryByAttribute("account") { Attributes = { "ownerid" }, Values = { other.SalesColleague } }).Entities.Count);
    }

    [Fact]
    public void Delete_NeedsDelete_SetStateNeedsWrite()
    {
        var (world, seller) = Seller(("prvReadAccount", Global));
        var mine = world.AccountOf(world.SalesUser);

        Assert.Equal("prvWriteAccount", MissingPrivilege(() => seller.Execute(new SetStateRequest { EntityMoniker = new EntityReference("account", mine), State = new OptionSetValue(1), Status = new OptionSetValue(-1) })));
        Assert.Equal("prvDeleteAccount", MissingPrivilege(() => seller.Delete("account", mine)));
        world.Grant(world.SalesUser, ("prvWriteAccount", Global), ("prvDeleteAccount", Global));
        seller.Execute(new SetStateRequest { EntityMoniker = new EntityReference("account", mine), State = new OptionSetValue(1), Status = new OptionSetValue(-1) });
        seller.Delete("account", mine);

        Assert.Equal(4, world.Org.Count("account"));
    }

    [Fact]
    public void Retrieve_NeedsRead()
    {
        var (world, seller) = Seller(("prvCreateAccount", Global));

        Assert.Equal("prvReadAccount", MissingPrivilege(() => seller.Retrieve("account", world.AccountOf(world.SalesUser), new ColumnSet(true))));
    }

    // RetrieveMultiple never refuses a caller that may read some rows: it leaves the others out, also for FetchXML,
    // paging counts and aggregates; only a caller with no Read privilege on the table at all is refused.
    [Fact]
    public void RetrieveMultiple_FiltersFetchXmlAndAggregates_AndRefusesOnlyWithoutRead()
    {
        var (world, seller) = Seller(("prvCreateContact", Global));
        Assert.Equal("prvReadAccount", MissingPrivilege(() => seller.RetrieveMultiple(new QueryExpression("account"))));

        world.Grant(world.SalesUser, ("prvReadAccount", PrivilegeDepth.Local));
        var fetched = seller.RetrieveMultiple(new FetchExpression("<fetch><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>"));
        var counted = seller.RetrieveMultiple(new FetchExpression("<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>"));

        Assert.Equal(new[] { "Colleague's", "Sales's" }, fetched.Entities.Select(e => (string)e["name"]));
        Assert.Equal(2, (int)((AliasedValue)counted.Entities.Single()["n"]).Value);
    }

    // Linked tables are filtered too: an inner join to a row the caller may not read drops the row; a linked table the
    // caller may not read at all refuses the query.
    [Fact]
    public void RetrieveMultiple_LinkedRowsTheCallerMayNotRead_AreNotJoined()
    {
        var (world, seller) = Seller(("prvReadAccount", Global));
        var contact = world.Org.Seed(new Entity("contact") { ["lastname"] = "Colleague's contact", ["ownerid"] = new EntityReference("systemuser", world.SalesColleague) });
        world.Org.GetService().Update(new Entity("account", world.AccountOf(world.SalesUser)) { ["primarycontactid"] = new EntityReference("contact", contact) });
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        query.AddLink("contact", "primarycontactid", "contactid", JoinOperator.Inner);

        Assert.Equal("prvReadContact", MissingPrivilege(() => seller.RetrieveMultiple(query)));
        var basic = world.Grant(world.SalesUser, ("prvReadContact", PrivilegeDepth.Basic));
        Assert.Empty(seller.RetrieveMultiple(query).Entities);
        world.Org.GetService().Disassociate("systemuser", world.SalesUser, new Relationship("systemuserroles_association"), new EntityReferenceCollection { new EntityReference("role", basic) });
        world.Grant(world.SalesUser, ("prvReadContact", PrivilegeDepth.Local));
        Assert.Equal("Sales's", Assert.Single(seller.RetrieveMultiple(query).Entities)["name"]);
    }

    // Upsert is checked as the Create or Update it becomes.
    [Fact]
    public void Upsert_IsCheckedAsTheCreateOrUpdateItBecomes()
    {
        var (world, seller) = Seller(("prvReadAccount", Global), ("prvCreateAccount", Global));
        var existing = world.AccountOf(world.SalesUser);

        seller.Execute(new UpsertRequest { Target = new Entity("account", Guid.NewGuid()) { ["name"] = "Upserted" } });
        Assert.Equal("prvWriteAccount", MissingPrivilege(() => seller.Execute(new UpsertRequest { Target = new Entity("account", existing) { ["name"] = "Changed" } })));
    }

    // CreateMultiple/UpdateMultiple check each item; one item the caller may not write fails the whole request.
    [Fact]
    public void UpdateMultiple_ChecksEachItem_AndOneRefusalRollsBackAll()
    {
        var (world, seller) = Seller(("prvReadAccount", Global), ("prvWriteAccount", PrivilegeDepth.Basic));
        var targets = new EntityCollection { EntityName = "account" };
        targets.Entities.Add(new Entity("account", world.AccountOf(world.SalesUser)) { ["name"] = "Mine, renamed" });
        targets.Entities.Add(new Entity("account", world.AccountOf(world.SalesColleague)) { ["name"] = "Theirs, renamed" });

        Faults.Expect(OrgErrorCodes.AccessCheckFailed, () => seller.Execute(new UpdateMultipleRequest { Targets = targets }));

        Assert.Equal("Sales's", world.Org.GetService().Retrieve("account", world.AccountOf(world.SalesUser), new ColumnSet("name"))["name"]);
    }

    [Fact]
    public void CreateMultiple_NeedsCreateForEachItem()
    {
        var (world, seller) = Seller(("prvReadAccount", Global));
        var targets = new EntityCollection { EntityName = "account" };
        targets.Entities.Add(new Entity("account") { ["name"] = "One" });

        Assert.Equal("prvCreateAccount", MissingPrivilege(() => seller.Execute(new CreateMultipleRequest { Targets = targets })));
        Assert.Equal(5, world.Org.Count("account"));
    }

    // ExecuteMultiple runs each inner request as the caller: refused ones are faults in the responses, the rest run.
    [Fact]
    public void ExecuteMultiple_RunsEachRequestAsTheCaller()
    {
        var (world, seller) = Seller(("prvCreateAccount", Global));
        var batch = new ExecuteMultipleRequest
        {
            Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
            Requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = new Entity("account") { ["name"] = "Allowed" } },
                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "Refused" } },
            },
        };

        var responses = ((ExecuteMultipleResponse)seller.Execute(batch)).Responses;

        Assert.Null(responses[0].Fault);
        Assert.Equal(OrgErrorCodes.PrivilegeDenied, responses[1].Fault.ErrorCode);
        Assert.Equal("prvCreateContact", MissingPrivilegeName(responses[1].Fault.Message));
        Assert.Equal(6, world.Org.Count("account"));
    }

    [Fact]
    public void ExecuteTransaction_OneRefusedRequest_RollsBackTheOthers()
    {
        var (world, seller) = Seller(("prvCreateAccount", Global));
        var transaction = new ExecuteTransactionRequest
        {
            Requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = new Entity("account") { ["name"] = "Rolled back" } },
                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "Refused" } },
            },
        };

        Faults.Expect(OrgErrorCodes.PrivilegeDenied, () => seller.Execute(transaction));
        Assert.Equal(5, world.Org.Count("account"));
    }

    [Fact]
    public void WhoAmI_NeedsNoPrivilege()
    {
        var world = new SecurityWorld();

        var response = (WhoAmIResponse)world.Org.GetService(world.SalesUser).Execute(new WhoAmIRequest());

        Assert.Equal(world.SalesUser, response.UserId);
    }

    // Associate/Disassociate on a one-to-many relationship is the Update of the lookup: Write and Append on the row
    // that holds it, AppendTo on the row it points at.
    [Fact]
    public void Associate_OneToMany_NeedsWriteAppendAndAppendTo()
    {
        var (world, seller) = Seller(("prvReadAccount", Global), ("prvWriteAccount", Global), ("prvAppendAccount", Global));
        var parent = new EntityReference("account", world.AccountOf(world.RootUser));
        var children = new EntityReferenceCollection { new EntityReference("account", world.AccountOf(world.SalesUser)) };

        Assert.Equal("prvAppendToAccount", MissingPrivilege(() => seller.Associate("account", parent.Id, new Relationship("account_parent_account"), children)));
        world.Grant(world.SalesUser, ("prvAppendToAccount", Global));
        seller.Associate("account", parent.Id, new Relationship("account_parent_account"), children);
        seller.Disassociate("account", parent.Id, new Relationship("account_parent_account"), children);
    }

    // Role assignment (many-to-many): Write and Append on the user, AppendTo on the role. Removing a role takes its
    // privileges away at once.
    [Fact]
    public void AssigningRoles_NeedsThePrivileges_AndDisassociateTakesThemAway()
    {
        var world = new SecurityWorld();
        var reader = RoleAssignments.Define(world.Org, "Readers", ("prvReadAccount", Global));
        var seller = world.Org.GetService(world.SalesUser);
        var roles = new EntityReferenceCollection { new EntityReference("role", reader) };
        var relationship = new Relationship("systemuserroles_association");

        Assert.Equal("prvWriteSystemUser", MissingPrivilege(() => seller.Associate("systemuser", world.SalesUser, relationship, roles)));
        world.Org.GetService().Associate("systemuser", world.SalesUser, relationship, roles);
        Assert.Equal(5, seller.RetrieveMultiple(new QueryExpression("account")).Entities.Count);
        Faults.Expect(OrgErrorCodes.DuplicateRecord, () => world.Org.GetService().Associate("systemuser", world.SalesUser, relationship, roles));

        world.Org.GetService().Disassociate("systemuser", world.SalesUser, relationship, roles);

        Assert.Equal("prvReadAccount", MissingPrivilege(() => seller.RetrieveMultiple(new QueryExpression("account"))));
    }

    // A plug-in's CreateOrganizationService(null) runs as SYSTEM (every privilege); Guid.Empty runs as the calling user,
    // whose missing privilege fails (and rolls back) the whole operation.
    [Theory]
    [InlineData("null", true)]
    [InlineData("00000000-0000-0000-0000-000000000000", false)]
    public void Plugin_NullUserIsSystem_TheContextUserIsChecked(string user, bool allowed)
    {
        var (world, seller) = Seller(("prvCreateAccount", Global));
        world.Org.RegisterStep(new PluginStep(typeof(CreateAsUserPlugin), "Create", "account", PipelineStage.PostOperation) { UnsecureConfiguration = user });

        if (allowed)
        {
            seller.Create(new Entity("account") { ["name"] = "With a contact" });
        }
        else
        {
            Assert.Equal("prvCreateContact", MissingPrivilege(() => seller.Create(new Entity("account") { ["name"] = "With a contact" })));
        }

        Assert.Equal(allowed ? 1 : 0, world.Org.Count("contact"));
        Assert.Equal(allowed ? 6 : 5, world.Org.Count("account"));
    }

    // SDK bypass (RequestOptions.BypassCustomPluginExecution) needs prvBypassCustomPlugins.
    [Fact]
    public void BypassCustomPluginExecution_NeedsPrvBypassCustomPlugins()
    {
        var (world, _) = Seller(("prvCreateAccount", Global));
        var bypassing = world.Org.GetService(new RequestOptions { UserId = world.SalesUser, BypassCustomPluginExecution = true });

        Assert.Equal(Privileges.BypassCustomPlugins, MissingPrivilege(() => bypassing.Create(new Entity("account") { ["name"] = "Bypassed" })));
        world.Grant(world.SalesUser, (Privileges.BypassCustomPlugins, Global));
        bypassing.Create(new Entity("account") { ["name"] = "Bypassed" });
    }

    // With enforcement off every caller holds every privilege.
    [Fact]
    public void EnforcementOff_EveryCallerMayDoEverything()
    {
        var world = new SecurityWorld(new DataverseOrgOptions { EnforceSecurity = false });
        var seller = world.Org.GetService(world.SalesUser);

        seller.Create(new Entity("contact") { ["lastname"] = "Anyone" });
        seller.Delete("account", world.AccountOf(world.ServiceUser));

        Assert.Equal(4, seller.RetrieveMultiple(new QueryExpression("account")).Entities.Count);
        Assert.True(world.Org.HoldsPrivilege(world.SalesUser, Privileges.ActOnBehalfOfAnotherUser));
    }
}
