using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Tests.Support;
using PartnerGuard.Testing;
using Microsoft.Extensions.Time.Testing;

namespace PartnerGuard.Emulator.Tests.Crud;

public sealed class CrudTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 30, 15, TimeSpan.Zero);

    private static (DataverseOrg Org, FakeTimeProvider Clock) NewOrg()
    {
        var clock = new FakeTimeProvider(Start);
        return (DataverseOrg.Create(new DataverseOrgOptions { Clock = clock }), clock);
    }

    // Platform: Create sets createdon/modifiedon/createdby/modifiedby, ownerid defaults to the caller,
    // statecode 0 / statuscode 1 (Dataverse table reference, "System columns"; observed on every table).
    [Fact]
    public void Create_SetsSystemColumnsAndOwnerFromCaller()
    {
        var (org, _) = NewOrg();
        var seller = RoleAssignments.CreateAdministrator(org, "Sam Seller");
        var service = org.GetService(seller);

        var id = service.Create(new Entity("account") { ["name"] = "Contoso" });
        var row = service.Retrieve("account", id, new ColumnSet(true));

        Assert.Equal(id, row.Id);
        Assert.Equal(id, row.GetAttributeValue<Guid>("accountid"));
        Assert.Equal(Start.UtcDateTime, row.GetAttributeValue<DateTime>("createdon"));
        Assert.Equal(Start.UtcDateTime, row.GetAttributeValue<DateTime>("modifiedon"));
        Assert.Equal(seller, row.GetAttributeValue<EntityReference>("createdby").Id);
        Assert.Equal(seller, row.GetAttributeValue<EntityReference>("ownerid").Id);
        Assert.Equal("systemuser", row.GetAttributeValue<EntityReference>("ownerid").LogicalName);
        Assert.Equal("Sam Seller", row.GetAttributeValue<EntityReference>("ownerid").Name);
        Assert.Equal(org.RootBusinessUnitId, row.GetAttributeValue<EntityReference>("owningbusinessunit").Id);
        Assert.Equal(0, row.GetAttributeValue<OptionSetValue>("statecode").Value);
        Assert.Equal(1, row.GetAttributeValue<OptionSetValue>("statuscode").Value);
        Assert.False(string.IsNullOrEmpty(row.RowVersion));
    }

    // Platform: CreateResponse carries the new id under "id" (SDK: CreateResponse.id).
    [Fact]
    public void CreateRequest_ReturnsTypedResponseWithId()
    {
        var (org, _) = NewOrg();
        var response = (CreateResponse)org.GetService().Execute(new CreateRequest { Target = new Entity("account") { ["name"] = "A" } });
        Assert.NotEqual(Guid.Empty, response.id);
        Assert.Equal(1, org.Count("account"));
    }

    // Platform: a caller-supplied id is used; a second create with the same id fails with DuplicateRecord.
    [Fact]
    public void Create_WithExistingId_FailsAsDuplicate()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var id = Guid.NewGuid();
        Assert.Equal(id, service.Create(new Entity("account", id) { ["name"] = "A" }));
        Faults.Expect(OrgErrorCodes.DuplicateRecord, () => service.Create(new Entity("account", id) { ["name"] = "B" }));
    }

    // Platform: an unknown column faults with "'account' entity doesn't contain attribute with Name = ..." (QueryBuilderNoAttribute).
    [Fact]
    public void Create_UnknownColumn_Faults()
    {
        var (org, _) = NewOrg();
        var fault = Faults.Expect(OrgErrorCodes.QueryBuilderNoAttribute,
            () => org.GetService().Create(new Entity("account") { ["nosuchcolumn"] = "x" }));
        Assert.Contains("nosuchcolumn", fault.Message);
        Assert.Equal(0, org.Count("account"));
    }

    // Platform: logical names are lower case and case-sensitive in the SDK: "Name" is not account.name and
    // "Account" is not account (observed: the same "doesn't contain attribute" / MetadataCache faults).
    [Fact]
    public void LogicalNames_AreCaseSensitive()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        Faults.Expect(OrgErrorCodes.QueryBuilderNoAttribute, () => service.Create(new Entity("account") { ["Name"] = "x" }));
        Faults.Expect(OrgErrorCodes.QueryBuilderNoEntity, () => service.Create(new Entity("Account") { ["name"] = "x" }));
        var id = service.Create(new Entity("account") { ["name"] = "x" });
        Faults.Expect(OrgErrorCodes.QueryBuilderNoAttribute, () => service.Retrieve("account", id, new ColumnSet("Name")));
        var query = new QueryExpression("account");
        query.Criteria.AddCondition("Name", ConditionOperator.Equal, "x");
        Faults.Expect(OrgErrorCodes.QueryBuilderNoAttribute, () => service.RetrieveMultiple(query));
    }

    // Platform: an unknown table faults ("The entity with a name = 'x' ... was not found in the MetadataCache").
    [Fact]
    public void Create_UnknownTable_Faults()
    {
        var (org, _) = NewOrg();
        var fault = Faults.Expect(OrgErrorCodes.QueryBuilderNoEntity, () => org.GetService().Create(new Entity("nosuchtable")));
        Assert.Contains("nosuchtable", fault.Message);
    }

    // Platform: the SDK requires the exact CLR type per column type (Money for currency, OptionSetValue for
    // choices, EntityReference for lookups); anything else is rejected with "Incorrect attribute value type".
    [Theory]
    [InlineData("revenue", 1000)]
    [InlineData("revenue", "1000")]
    [InlineData("numberofemployees", 10L)]
    [InlineData("customertypecode", 5)]
    [InlineData("name", 42)]
    [InlineData("parentaccountid", "not a reference")]
    public void Create_WrongValueType_Faults(string column, object value)
    {
        var (org, _) = NewOrg();
        var fault = Faults.Expect(OrgErrorCodes.InvalidArgument,
            () => org.GetService().Create(new Entity("account") { [column] = value }));
        Assert.Contains("Incorrect attribute value type", fault.Message);
        Assert.Contains(column, fault.Message);
    }

    // Platform: text longer than the column's MaxLength fails ("exceeded the maximum allowed length"); account.name is 160.
    [Fact]
    public void Create_TextTooLong_Faults()
    {
        var (org, _) = NewOrg();
        var fault = Faults.Expect(OrgErrorCodes.StringLengthTooLong,
            () => org.GetService().Create(new Entity("account") { ["name"] = new string('x', 161) }));
        Assert.Contains("160", fault.Message);
        org.GetService().Create(new Entity("account") { ["name"] = new string('x', 160) });
    }

    // Platform: a lookup to a row that does not exist fails with ObjectDoesNotExist naming the target table.
    [Fact]
    public void Create_LookupToMissingRow_FailsWithObjectDoesNotExist()
    {
        var (org, _) = NewOrg();
        var missing = Guid.NewGuid();
        var fault = Faults.Expect(OrgErrorCodes.ObjectDoesNotExist,
            () => org.GetService().Create(new Entity("account") { ["parentaccountid"] = new EntityReference("account", missing) }));
        Assert.Equal($"account With Id = {missing:D} Does Not Exist", fault.Message);
    }

    // Platform: a lookup accepts only its target tables; customer lookups accept account or contact.
    [Fact]
    public void Create_LookupToWrongTable_Faults_CustomerAcceptsAccountAndContact()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var contact = service.Create(new Entity("contact") { ["lastname"] = "Lee" });
        var account = service.Create(new Entity("account") { ["name"] = "A" });
        Faults.Expect(OrgErrorCodes.InvalidArgument,
            () => service.Create(new Entity("account") { ["parentaccountid"] = new EntityReference("contact", contact) }));
        service.Create(new Entity("opportunity") { ["name"] = "1", ["customerid"] = new EntityReference("contact", contact) });
        service.Create(new Entity("opportunity") { ["name"] = "2", ["customerid"] = new EntityReference("account", account) });
        Assert.Equal(2, org.Count("opportunity"));
    }

    // Platform: Retrieve of a missing row faults with ObjectDoesNotExist ("account With Id = ... Does Not Exist").
    [Fact]
    public void Retrieve_Missing_FailsWithObjectDoesNotExist()
    {
        var (org, _) = NewOrg();
        var id = Guid.NewGuid();
        var fault = Faults.Expect(OrgErrorCodes.ObjectDoesNotExist, () => org.GetService().Retrieve("account", id, new ColumnSet("name")));
        Assert.Contains(id.ToString(), fault.Message);
    }

    // Platform: Retrieve returns the requested columns that have values, plus the primary id; an unknown column faults.
    [Fact]
    public void Retrieve_ProjectsColumnSet()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "A", ["telephone1"] = "555" });
        var row = service.Retrieve("account", id, new ColumnSet("name", "accountnumber"));
        Assert.Equal("A", row["name"]);
        Assert.False(row.Contains("telephone1"));
        Assert.False(row.Contains("accountnumber"));
        Assert.True(row.Contains("accountid"));
        Faults.Expect(OrgErrorCodes.QueryBuilderNoAttribute, () => service.Retrieve("account", id, new ColumnSet("bogus")));
    }

    // Emulator contract (the platform serialises): values returned are copies; changing them changes nothing stored,
    // and changing the entity passed to Create afterwards changes nothing either.
    [Fact]
    public void ReadsAndWrites_NeverAliasStoredRows()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var input = new Entity("account") { ["name"] = "Original", ["revenue"] = new Money(10m) };
        var id = service.Create(input);
        input["name"] = "Changed after create";
        ((Money)input["revenue"]).Value = 99m;

        var first = service.Retrieve("account", id, new ColumnSet(true));
        first["name"] = "Changed after read";
        first.GetAttributeValue<Money>("revenue").Value = 77m;

        var second = service.Retrieve("account", id, new ColumnSet(true));
        Assert.Equal("Original", second["name"]);
        Assert.Equal(10m, second.GetAttributeValue<Money>("revenue").Value);
    }

    // Platform: money columns get a _base companion = value / exchange rate of the row's transaction currency;
    // transactioncurrencyid defaults to the base currency (Dataverse "Currency columns" documentation).
    [Fact]
    public void Money_ComputesBaseFromExchangeRate()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var euro = service.Create(new Entity("transactioncurrency")
        {
            ["currencyname"] = "Euro", ["isocurrencycode"] = "EUR", ["exchangerate"] = 0.8m, ["currencyprecision"] = 2,
        });
        var inBase = service.Create(new Entity("account") { ["name"] = "Base", ["revenue"] = new Money(1000m) });
        var inEuro = service.Create(new Entity("account")
        {
            ["name"] = "Euro", ["revenue"] = new Money(1000m), ["transactioncurrencyid"] = new EntityReference("transactioncurrency", euro),
        });

        var baseRow = service.Retrieve("account", inBase, new ColumnSet("revenue_base", "transactioncurrencyid", "exchangerate"));
        Assert.Equal(1000m, baseRow.GetAttributeValue<Money>("revenue_base").Value);
        Assert.Equal(org.BaseCurrencyId, baseRow.GetAttributeValue<EntityReference>("transactioncurrencyid").Id);
        var euroRow = service.Retrieve("account", inEuro, new ColumnSet("revenue_base", "exchangerate"));
        Assert.Equal(1250m, euroRow.GetAttributeValue<Money>("revenue_base").Value);
        Assert.Equal(0.8m, euroRow.GetAttributeValue<decimal>("exchangerate"));

        service.Update(new Entity("account", inEuro) { ["revenue"] = new Money(400m) });
        Assert.Equal(500m, service.Retrieve("account", inEuro, new ColumnSet("revenue_base")).GetAttributeValue<Money>("revenue_base").Value);

        // _base columns are read-only: a value sent for them is ignored.
        service.Update(new Entity("account", inEuro) { ["revenue_base"] = new Money(1m) });
        Assert.Equal(500m, service.Retrieve("account", inEuro, new ColumnSet("revenue_base")).GetAttributeValue<Money>("revenue_base").Value);
    }

    // Platform: Update changes only the columns sent, sets modifiedon/modifiedby, bumps the row version; a null clears.
    [Fact]
    public void Update_ChangesOnlySentColumns()
    {
        var (org, clock) = NewOrg();
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "A", ["telephone1"] = "1" });
        var before = service.Retrieve("account", id, new ColumnSet(true));
        clock.Advance(TimeSpan.FromMinutes(5));
        var editor = RoleAssignments.CreateAdministrator(org, "Ed Editor");
        org.GetService(editor).Update(new Entity("account", id) { ["telephone1"] = null, ["accountnumber"] = "X1" });

        var after = service.Retrieve("account", id, new ColumnSet(true));
        Assert.Equal("A", after["name"]);
        Assert.False(after.Contains("telephone1"));
        Assert.Equal("X1", after["accountnumber"]);
        Assert.Equal(Start.UtcDateTime.AddMinutes(5), after["modifiedon"]);
        Assert.Equal(Start.UtcDateTime, after["createdon"]);
        Assert.Equal(editor, after.GetAttributeValue<EntityReference>("modifiedby").Id);
        Assert.True(long.Parse(after.RowVersion) > long.Parse(before.RowVersion));
    }

    // Platform: Update of a missing row faults with ObjectDoesNotExist; Update without an id faults.
    [Fact]
    public void Update_MissingOrWithoutId_Faults()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        Faults.Expect(OrgErrorCodes.ObjectDoesNotExist, () => service.Update(new Entity("account", Guid.NewGuid()) { ["name"] = "x" }));
        Faults.Expect(OrgErrorCodes.InvalidArgument, () => service.Update(new Entity("account") { ["name"] = "x" }));
    }

    // Platform: with ConcurrencyBehavior.IfRowVersionMatches a stale RowVersion fails with ConcurrencyVersionMismatch
    // (learn.microsoft.com/power-apps/developer/data-platform/optimistic-concurrency).
    [Fact]
    public void Update_IfRowVersionMatches_RejectsStaleVersion()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "A" });
        var read = service.Retrieve("account", id, new ColumnSet("name"));
        service.Update(new Entity("account", id) { ["name"] = "B" });

        var stale = new Entity("account", id) { ["name"] = "C", RowVersion = read.RowVersion };
        Faults.Expect(OrgErrorCodes.ConcurrencyVersionMismatch,
            () => service.Execute(new UpdateRequest { Target = stale, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches }));
        var fresh = service.Retrieve("account", id, new ColumnSet("name"));
        service.Execute(new UpdateRequest
        {
            Target = new Entity("account", id) { ["name"] = "D", RowVersion = fresh.RowVersion },
            ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
        });
        Assert.Equal("D", service.Retrieve("account", id, new ColumnSet("name"))["name"]);
    }

    // Platform: setting statecode alone sets the default statuscode of that state; a status of another state is rejected.
    [Fact]
    public void StateAndStatus_DefaultsAndValidation()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var id = service.Create(new Entity("opportunity") { ["name"] = "Deal" });
        service.Update(new Entity("opportunity", id) { ["statecode"] = new OptionSetValue(2) });
        var row = service.Retrieve("opportunity", id, new ColumnSet("statecode", "statuscode"));
        Assert.Equal(2, row.GetAttributeValue<OptionSetValue>("statecode").Value);
        Assert.Equal(4, row.GetAttributeValue<OptionSetValue>("statuscode").Value);
        Faults.Expect(OrgErrorCodes.InvalidArgument,
            () => service.Update(new Entity("opportunity", id) { ["statecode"] = new OptionSetValue(0), ["statuscode"] = new OptionSetValue(3) }));
        Faults.Expect(OrgErrorCodes.InvalidArgument,
            () => service.Update(new Entity("opportunity", id) { ["statecode"] = new OptionSetValue(7) }));
    }

    // Platform: Delete removes the row; lookups that pointed at it are cleared (RemoveLink cascade); deleting again faults.
    [Fact]
    public void Delete_RemovesRowAndClearsLookups()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var parent = service.Create(new Entity("account") { ["name"] = "Parent" });
        var child = service.Create(new Entity("account") { ["name"] = "Child", ["parentaccountid"] = new EntityReference("account", parent) });
        service.Delete("account", parent);
        Assert.False(service.Retrieve("account", child, new ColumnSet("parentaccountid")).Contains("parentaccountid"));
        Faults.Expect(OrgErrorCodes.ObjectDoesNotExist, () => service.Delete("account", parent));
    }

    // Platform: Upsert by id creates when the row is missing (RecordCreated = true) and updates otherwise.
    [Fact]
    public void Upsert_CreatesThenUpdates()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var id = Guid.NewGuid();
        var created = (UpsertResponse)service.Execute(new UpsertRequest { Target = new Entity("account", id) { ["name"] = "First" } });
        Assert.True(created.RecordCreated);
        Assert.Equal(id, created.Target.Id);
        var updated = (UpsertResponse)service.Execute(new UpsertRequest { Target = new Entity("account", id) { ["telephone1"] = "2" } });
        Assert.False(updated.RecordCreated);
        var row = service.Retrieve("account", id, new ColumnSet(true));
        Assert.Equal("First", row["name"]);
        Assert.Equal("2", row["telephone1"]);
    }

    // Alternate keys are not emulated: a request that names its row only by key is refused clearly rather than
    // silently creating a second row.
    [Fact]
    public void AlternateKeys_AreRefused()
    {
        var (org, _) = NewOrg();
        var fault = Faults.Expect(OrgErrorCodes.InvalidArgument,
            () => org.GetService().Execute(new UpsertRequest { Target = new Entity("account", "accountnumber", "A-1") { ["name"] = "A" } }));
        Assert.Contains("alternate key", fault.Message);
        Assert.Equal(0, org.Count("account"));
    }

    // Platform: Assign sets ownerid (dispatch is by RequestName, so a plain OrganizationRequest("Assign") works too).
    [Fact]
    public void Assign_ChangesOwner_AlsoAsPlainRequest()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "A" });
        var user = RoleAssignments.CreateAdministrator(org, "New Owner");
        var team = org.CreateTeam("Channel Team", user);

        service.Execute(new AssignRequest { Target = new EntityReference("account", id), Assignee = new EntityReference("systemuser", user) });
        Assert.Equal(user, service.Retrieve("account", id, new ColumnSet("ownerid")).GetAttributeValue<EntityReference>("ownerid").Id);

        var plain = new OrganizationRequest("Assign");
        plain["Target"] = new EntityReference("account", id);
        plain["Assignee"] = new EntityReference("team", team);
        Assert.IsType<AssignResponse>(service.Execute(plain));
        var owner = service.Retrieve("account", id, new ColumnSet("ownerid")).GetAttributeValue<EntityReference>("ownerid");
        Assert.Equal(("team", team), (owner.LogicalName, owner.Id));
    }

    // Platform: SetState sets statecode/statuscode; Status -1 means the state's default status.
    [Fact]
    public void SetState_SetsStateAndDefaultStatus()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "A" });
        service.Execute(new SetStateRequest { EntityMoniker = new EntityReference("account", id), State = new OptionSetValue(1), Status = new OptionSetValue(-1) });
        var row = service.Retrieve("account", id, new ColumnSet("statecode", "statuscode"));
        Assert.Equal(1, row.GetAttributeValue<OptionSetValue>("statecode").Value);
        Assert.Equal(2, row.GetAttributeValue<OptionSetValue>("statuscode").Value);
    }

    // Platform: Associate/Disassociate over a one-to-many relationship set and clear the lookup on the related rows
    // (org-service/entity-operations-associate-disassociate.md); an unknown relationship faults.
    [Fact]
    public void AssociateAndDisassociate_OneToMany()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var account = service.Create(new Entity("account") { ["name"] = "Contoso" });
        var contacts = new EntityReferenceCollection
        {
            new EntityReference("contact", service.Create(new Entity("contact") { ["lastname"] = "A" })),
            new EntityReference("contact", service.Create(new Entity("contact") { ["lastname"] = "B" })),
        };

        service.Associate("account", account, new Relationship("contact_customer_accounts"), contacts);
        Assert.All(contacts, c => Assert.Equal(account, service.Retrieve("contact", c.Id, new ColumnSet("parentcustomerid")).GetAttributeValue<EntityReference>("parentcustomerid").Id));

        service.Disassociate("account", account, new Relationship("contact_customer_accounts"), new EntityReferenceCollection { contacts[0] });
        Assert.False(service.Retrieve("contact", contacts[0].Id, new ColumnSet("parentcustomerid")).Contains("parentcustomerid"));
        Assert.True(service.Retrieve("contact", contacts[1].Id, new ColumnSet("parentcustomerid")).Contains("parentcustomerid"));

        Faults.Expect(OrgErrorCodes.InvalidArgument, () => service.Associate("account", account, new Relationship("no_such_relationship"), contacts));
    }

    // Platform: an environment variable's value rows hang off its definition through the one-to-many relationship
    // environmentvariabledefinition_environmentvariablevalue (Dataverse table reference, environmentvariabledefinition,
    // "One-to-Many relationships"); associating a value row with a definition sets its lookup.
    [Fact]
    public void Associate_EnvironmentVariableValueToItsDefinition()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var definition = service.Create(new Entity("environmentvariabledefinition") { ["schemaname"] = "pg_Example" });
        var value = service.Create(new Entity("environmentvariablevalue") { ["schemaname"] = "pg_Example", ["value"] = "x" });

        service.Associate("environmentvariabledefinition", definition, new Relationship("environmentvariabledefinition_environmentvariablevalue"),
            new EntityReferenceCollection { new EntityReference("environmentvariablevalue", value) });

        var stored = service.Retrieve("environmentvariablevalue", value, new ColumnSet("environmentvariabledefinitionid"));
        Assert.Equal(definition, stored.GetAttributeValue<EntityReference>("environmentvariabledefinitionid").Id);
    }

    // Platform: WhoAmI returns the caller's user id, business unit and organization.
    [Fact]
    public void WhoAmI_ReturnsCaller()
    {
        var (org, _) = NewOrg();
        var user = RoleAssignments.CreateAdministrator(org, "Who");
        var response = (WhoAmIResponse)org.GetService(user).Execute(new WhoAmIRequest());
        Assert.Equal(user, response.UserId);
        Assert.Equal(org.RootBusinessUnitId, response.BusinessUnitId);
        Assert.Equal(org.OrganizationId, response.OrganizationId);
    }

    // Platform: an unknown message name is refused with a fault, not an exception of another kind.
    [Fact]
    public void UnknownRequest_Faults()
    {
        var (org, _) = NewOrg();
        var fault = Faults.Expect(OrgErrorCodes.UnrecognizedRequest, () => org.GetService().Execute(new OrganizationRequest("NoSuchMessage")));
        Assert.Contains("NoSuchMessage", fault.Message);
    }

    // Platform: a request missing a required parameter faults (e.g. Create without Target).
    [Fact]
    public void Create_WithoutTarget_Faults()
    {
        var (org, _) = NewOrg();
        var fault = Faults.Expect(OrgErrorCodes.InvalidArgument, () => org.GetService().Execute(new OrganizationRequest("Create")));
        Assert.Contains("Target", fault.Message);
    }

    // Platform: contact.fullname is computed from firstname and lastname.
    [Fact]
    public void Contact_FullNameIsComputed()
    {
        var (org, _) = NewOrg();
        var service = org.GetService();
        var id = service.Create(new Entity("contact") { ["firstname"] = "Ada", ["lastname"] = "Lovelace" });
        Assert.Equal("Ada Lovelace", service.Retrieve("contact", id, new ColumnSet("fullname"))["fullname"]);
    }

    // Concurrency: the org serialises top-level operations, so parallel creates all land.
    [Fact]
    public void ParallelCreates_AllStored()
    {
        var (org, _) = NewOrg();
        Parallel.For(0, 200, i => org.GetService().Create(new Entity("account") { ["name"] = "A" + i }));
        Assert.Equal(200, org.Count("account"));
    }
}
