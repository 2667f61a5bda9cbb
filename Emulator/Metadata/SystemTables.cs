namespace PartnerGuard.Emulator.Metadata;

/// <summary>
/// The built-in subset of Dataverse system tables, with the columns PartnerGuard and its tests use.
/// Column names, types and lengths follow the Dataverse table reference
/// (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/{table}).
/// </summary>
internal static class SystemTables
{
    public static void AddTo(MetadataCatalog catalog)
    {
        var bu = Table(catalog, "businessunit", "name", "businessunits");
        Text(bu, "name", 160);
        Lookup(bu, "parentbusinessunitid", "businessunit");
        Audit(bu);

        var user = Table(catalog, "systemuser", "fullname", "systemusers");
        Text(user, "fullname", 200).IsReadOnly = false;
        Text(user, "firstname", 64);
        Text(user, "lastname", 64);
        Text(user, "domainname", 1024);
        Text(user, "internalemailaddress", 100);
        Lookup(user, "businessunitid", "businessunit");
        user.AddColumn(new ColumnMetadata("isdisabled", ColumnType.Boolean));
        user.AddColumn(new ColumnMetadata("azureactivedirectoryobjectid", ColumnType.UniqueIdentifier));
        user.AddColumn(new ColumnMetadata("applicationid", ColumnType.UniqueIdentifier));
        Audit(user);

        var team = Table(catalog, "team", "name", "teams");
        Text(team, "name", 160);
        Lookup(team, "businessunitid", "businessunit");
        Lookup(team, "administratorid", "systemuser");
        team.AddColumn(new ColumnMetadata("teamtype", ColumnType.Picklist) { Options = new[] { 0, 1, 2, 3 } });
        team.AddColumn(new ColumnMetadata("azureactivedirectoryobjectid", ColumnType.UniqueIdentifier));
        team.AddColumn(new ColumnMetadata("isdefault", ColumnType.Boolean));
        Audit(team);

        var membership = Table(catalog, "teammembership", null, "teammemberships");
        membership.AddColumn(new ColumnMetadata("teamid", ColumnType.UniqueIdentifier));
        membership.AddColumn(new ColumnMetadata("systemuserid", ColumnType.UniqueIdentifier));
        membership.AddColumn(new ColumnMetadata("versionnumber", ColumnType.BigInt) { IsReadOnly = true });

        var currency = Table(catalog, "transactioncurrency", "currencyname", "transactioncurrencies");
        Text(currency, "currencyname", 100);
        Text(currency, "isocurrencycode", 5);
        Text(currency, "currencysymbol", 10);
        currency.AddColumn(new ColumnMetadata("exchangerate", ColumnType.Decimal));
        currency.AddColumn(new ColumnMetadata("currencyprecision", ColumnType.Integer));
        State(currency, new[] { 0, 1 }, new Dictionary<int, int> { [1] = 0, [2] = 1 });
        Audit(currency);

        // What a loaded solution's forms and web resources become (systemform and webresource table references).
        var form = Table(catalog, "systemform", "name", "systemforms");
        Text(form, "name", 100);
        Text(form, "objecttypecode", 64);
        form.AddColumn(new ColumnMetadata("type", ColumnType.Picklist));
        form.AddColumn(new ColumnMetadata("formactivationstate", ColumnType.Picklist));
        Memo(form, "formxml", 1_073_741_823);

        var webResource = Table(catalog, "webresource", "name", "webresourceset");
        Text(webResource, "name", 256);
        Text(webResource, "displayname", 200);
        webResource.AddColumn(new ColumnMetadata("webresourcetype", ColumnType.Picklist));
        Memo(webResource, "content", 1_073_741_823);

        var account = Table(catalog, "account", "name", "accounts");
        Text(account, "name", 160);
        Text(account, "accountnumber", 20);
        Lookup(account, "parentaccountid", "account");
        account.HierarchyParentColumn = "parentaccountid";
        Lookup(account, "primarycontactid", "contact");
        account.AddColumn(new ColumnMetadata("customertypecode", ColumnType.Picklist));
        account.AddColumn(new ColumnMetadata("industrycode", ColumnType.Picklist));
        account.AddColumn(new ColumnMetadata("accountcategorycode", ColumnType.Picklist));
        Money(account, "revenue");
        account.AddColumn(new ColumnMetadata("numberofemployees", ColumnType.Integer));
        Address(account);
        Text(account, "telephone1", 50);
        Text(account, "emailaddress1", 100);
        Text(account, "websiteurl", 200);
        Memo(account, "description", 2000);
        Owned(account);
        State(account, new[] { 0, 1 }, new Dictionary<int, int> { [1] = 0, [2] = 1 });
        Audit(account);

        var contact = Table(catalog, "contact", "fullname", "contacts");
        Text(contact, "fullname", 160).IsReadOnly = true;
        Text(contact, "firstname", 50);
        Text(contact, "lastname", 50);
        Text(contact, "jobtitle", 100);
        Text(contact, "emailaddress1", 100);
        Text(contact, "telephone1", 50);
        contact.AddColumn(new ColumnMetadata("parentcustomerid", ColumnType.Customer) { Targets = new[] { "account", "contact" } });
        Address(contact);
        Memo(contact, "description", 2000);
        Owned(contact);
        State(contact, new[] { 0, 1 }, new Dictionary<int, int> { [1] = 0, [2] = 1 });
        Audit(contact);

        var opportunity = Table(catalog, "opportunity", "name", "opportunities");
        Text(opportunity, "name", 300);
        opportunity.AddColumn(new ColumnMetadata("customerid", ColumnType.Customer) { Targets = new[] { "account", "contact" } });
        Lookup(opportunity, "parentaccountid", "account");
        Lookup(opportunity, "parentcontactid", "contact");
        Money(opportunity, "estimatedvalue");
        Money(opportunity, "actualvalue");
        opportunity.AddColumn(new ColumnMetadata("estimatedclosedate", ColumnType.DateTime));
        opportunity.AddColumn(new ColumnMetadata("actualclosedate", ColumnType.DateTime));
        opportunity.AddColumn(new ColumnMetadata("closeprobability", ColumnType.Integer));
        opportunity.AddColumn(new ColumnMetadata("opportunityratingcode", ColumnType.Picklist));
        Text(opportunity, "stepname", 200);
        Memo(opportunity, "description", 2000);
        Owned(opportunity);
        // Opportunity states: 0 Open, 1 Won, 2 Lost; statuses 1 In Progress, 2 On Hold, 3 Won, 4 Canceled, 5 Out-Sold.
        State(opportunity, new[] { 0, 1, 2 }, new Dictionary<int, int> { [1] = 0, [2] = 0, [3] = 1, [4] = 2, [5] = 2 });
        opportunity.DefaultStatusForState[1] = 3;
        opportunity.DefaultStatusForState[2] = 4;
        Audit(opportunity);

        // Standard one-to-many relationships (schema names as in the Dataverse table reference), for Associate/Disassociate.
        catalog.AddRelationship(new RelationshipMetadata("account_parent_account", "account", "account", "parentaccountid"));
        catalog.AddRelationship(new RelationshipMetadata("account_primary_contact", "contact", "account", "primarycontactid"));
        catalog.AddRelationship(new RelationshipMetadata("contact_customer_accounts", "account", "contact", "parentcustomerid"));
        catalog.AddRelationship(new RelationshipMetadata("opportunity_customer_accounts", "account", "opportunity", "customerid"));
        catalog.AddRelationship(new RelationshipMetadata("opportunity_customer_contacts", "contact", "opportunity", "customerid"));
        catalog.AddRelationship(new RelationshipMetadata("opportunity_parent_account", "account", "opportunity", "parentaccountid"));

        var definition = Table(catalog, "environmentvariabledefinition", "schemaname", "environmentvariabledefinitions");
        Text(definition, "schemaname", 100);
        Text(definition, "displayname", 100);
        Memo(definition, "defaultvalue", 2000);
        Memo(definition, "description", 2000);
        definition.AddColumn(new ColumnMetadata("type", ColumnType.Picklist)
        {
            Options = new[] { 100000000, 100000001, 100000002, 100000003, 100000004, 100000005 },
        });
        definition.AddColumn(new ColumnMetadata("isrequired", ColumnType.Boolean));
        Owned(definition);
        State(definition, new[] { 0, 1 }, new Dictionary<int, int> { [1] = 0, [2] = 1 });
        Audit(definition);

        var value = Table(catalog, "environmentvariablevalue", "schemaname", "environmentvariablevalues");
        Text(value, "schemaname", 100);
        Memo(value, "value", 2000);
        Lookup(value, "environmentvariabledefinitionid", "environmentvariabledefinition");
        Owned(value);
        State(value, new[] { 0, 1 }, new Dictionary<int, int> { [1] = 0, [2] = 1 });
        Audit(value);
        catalog.AddRelationship(new RelationshipMetadata(
            "environmentvariabledefinition_environmentvariablevalue", "environmentvariabledefinition", "environmentvariablevalue", "environmentvariabledefinitionid"));

        CustomizationTables.AddTo(catalog);
        Security.SecurityTables.AddTo(catalog);
    }

    internal static TableMetadata Table(MetadataCatalog catalog, string name, string? primaryName, string entitySet)
        => catalog.AddOrGet(new TableMetadata(name, primaryIdColumn: null, primaryNameColumn: primaryName) { EntitySetName = entitySet });

    internal static ColumnMetadata Text(TableMetadata table, string name, int maxLength)
        => table.AddColumn(new ColumnMetadata(name, ColumnType.String) { MaxLength = maxLength });

    internal static ColumnMetadata Memo(TableMetadata table, string name, int maxLength)
        => table.AddColumn(new ColumnMetadata(name, ColumnType.Memo) { MaxLength = maxLength });

    internal static ColumnMetadata Lookup(TableMetadata table, string name, params string[] targets)
        => table.AddColumn(new ColumnMetadata(name, ColumnType.Lookup) { Targets = targets });

    /// <summary>A money column, its <c>_base</c> companion, and the currency columns every money table has.</summary>
    internal static void Money(TableMetadata table, string name)
    {
        table.AddColumn(new ColumnMetadata(name, ColumnType.Money));
        table.AddColumn(new ColumnMetadata(name + "_base", ColumnType.Money) { IsReadOnly = true, IsBaseCurrency = true });
        if (!table.HasColumn("transactioncurrencyid"))
        {
            Lookup(table, "transactioncurrencyid", "transactioncurrency");
            table.AddColumn(new ColumnMetadata("exchangerate", ColumnType.Decimal) { IsReadOnly = true });
        }
    }

    internal static void Address(TableMetadata table)
    {
        Text(table, "address1_line1", 250);
        Text(table, "address1_city", 80);
        Text(table, "address1_stateorprovince", 50);
        Text(table, "address1_postalcode", 20);
        Text(table, "address1_country", 80);
    }

    internal static void Owned(TableMetadata table)
    {
        table.AddColumn(new ColumnMetadata("ownerid", ColumnType.Owner) { Targets = new[] { "systemuser", "team" } });
        table.AddColumn(new ColumnMetadata("owningbusinessunit", ColumnType.Lookup) { Targets = new[] { "businessunit" }, IsReadOnly = true });
    }

    internal static void State(TableMetadata table, int[] states, Dictionary<int, int> statusToState)
    {
        table.AddColumn(new ColumnMetadata("statecode", ColumnType.State) { Options = states });
        table.AddColumn(new ColumnMetadata("statuscode", ColumnType.Status) { Options = statusToState.Keys.ToArray(), StatusToState = statusToState });
    }

    /// <summary>The audit columns every table has: created/modified on and by, and the row version.</summary>
    internal static void Audit(TableMetadata table)
    {
        table.AddColumn(new ColumnMetadata("createdon", ColumnType.DateTime) { IsReadOnly = true });
        table.AddColumn(new ColumnMetadata("modifiedon", ColumnType.DateTime) { IsReadOnly = true });
        table.AddColumn(new ColumnMetadata("createdby", ColumnType.Lookup) { Targets = new[] { "systemuser" }, IsReadOnly = true });
        table.AddColumn(new ColumnMetadata("modifiedby", ColumnType.Lookup) { Targets = new[] { "systemuser" }, IsReadOnly = true });
        table.AddColumn(new ColumnMetadata("overriddencreatedon", ColumnType.DateTime) { IsCreateOnly = true });
        table.AddColumn(new ColumnMetadata("versionnumber", ColumnType.BigInt) { IsReadOnly = true });
    }
}
