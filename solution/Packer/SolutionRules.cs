using System.Text.RegularExpressions;

namespace PartnerGuard.Packer;

/// <summary>
/// Platform facts the packer checks, in one place. Sources are given next to each fact; see
/// ../../shared/reference/solution-format-notes.md for the research behind them.
/// </summary>
public static partial class SolutionRules
{
    /// <summary>Pipeline stages a step can be registered in: 10 PreValidation, 20 PreOperation, 40 PostOperation (register-plug-in.md).</summary>
    public static readonly IReadOnlySet<int> Stages = new HashSet<int> { 10, 20, 40 };

    /// <summary>environmentvariabledefinition.type: String … Secret (environmentvariabledefinition table reference).</summary>
    public const int EnvironmentVariableTypeString = 100000000;
    public const int EnvironmentVariableTypeNumber = 100000001;
    public const int EnvironmentVariableTypeBoolean = 100000002;
    public const int EnvironmentVariableTypeJson = 100000003;
    public const int EnvironmentVariableTypeDataSource = 100000004;
    public const int EnvironmentVariableTypeSecret = 100000005;

    /// <summary>Boolean environment variables store "yes" or "no" in lower case (observed in exports; microsoft/powerplatform-build-tools#477).</summary>
    public static readonly IReadOnlySet<string> BooleanEnvironmentValues = new HashSet<string>(StringComparer.Ordinal) { "yes", "no" };

    public static readonly IReadOnlySet<string> PrivilegeLevels = new HashSet<string>(StringComparer.Ordinal) { "Basic", "Local", "Deep", "Global" };

    /// <summary>Attribute types seen in exported Entity.xml files.</summary>
    public static readonly IReadOnlySet<string> AttributeTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "primarykey", "nvarchar", "ntext", "memo", "int", "bigint", "decimal", "float", "double", "money", "datetime",
        "lookup", "customer", "owner", "picklist", "multiselectpicklist", "state", "status", "bit", "uniqueidentifier",
        "image", "file", "virtual", "partylist",
    };

    public static readonly IReadOnlySet<string> LookupTypes = new HashSet<string>(StringComparer.Ordinal) { "lookup", "customer", "owner" };

    /// <summary>
    /// Columns a one-to-many relationship can hang on: lookups, and file and image columns, whose content Dataverse keeps in
    /// FileAttachment / ImageDescriptor rows through a relationship exported with the table (e.g. FileAttachment_pg_x_pg_document).
    /// </summary>
    public static readonly IReadOnlySet<string> RelationshipColumnTypes = new HashSet<string>(StringComparer.Ordinal) { "lookup", "customer", "owner", "file", "image" };

    /// <summary>Solution unique name and publisher unique name: letters, digits, underscore, not starting with a digit.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    public static partial Regex UniqueName();

    /// <summary>Solution version: major.minor.build.revision, four numeric parts (update-solutions.md).</summary>
    [GeneratedRegex(@"^\d{1,9}\.\d{1,9}\.\d{1,9}\.\d{1,9}$")]
    public static partial Regex FourPartVersion();

    /// <summary>Publisher customization prefix: 2–8 letters or digits, starting with a letter (publisher table reference).</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{1,7}$")]
    public static partial Regex CustomizationPrefix();

    public static bool IsValidPrefix(string prefix) =>
        CustomizationPrefix().IsMatch(prefix) && !prefix.StartsWith("mscrm", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Option value prefix: 10000–99999 (publisher table reference). New option values default to prefix × 10000 + n, but
    /// Dataverse accepts and exports any value a maker typed, so option values are not checked against it.
    /// </summary>
    public static bool IsValidOptionValuePrefix(int prefix) => prefix is >= 10000 and <= 99999;

    /// <summary>The zip file name Dataverse uses on export: UniqueName_1_0_0_0[_managed].zip.</summary>
    public static string PackageFileName(string uniqueName, string version, bool managed, bool notDeployable) =>
        $"{uniqueName}_{version.Replace('.', '_')}{(managed ? "_managed" : "")}{(notDeployable ? NotDeployableSuffix : "")}.zip";

    /// <summary>
    /// Custom API request parameter and response property types (customapirequestparameter.type, Microsoft Learn "CustomAPIRequestParameter
    /// table"): 0 Boolean, 1 DateTime, 2 Decimal, 3 Entity, 4 EntityCollection, 5 EntityReference, 6 Float, 7 Integer, 8 Money, 9 Picklist,
    /// 10 String, 11 StringArray, 12 Guid.
    /// </summary>
    public static readonly IReadOnlyList<string> CustomApiTypes =
        ["Boolean", "DateTime", "Decimal", "Entity", "EntityCollection", "EntityReference", "Float", "Integer", "Money", "Picklist", "String", "StringArray", "Guid"];

    /// <summary>The types that may name a table (logicalentityname): Entity, EntityCollection, EntityReference.</summary>
    public static readonly IReadOnlySet<int> CustomApiTableTypes = new HashSet<int> { 3, 4, 5 };

    /// <summary>
    /// Web resource types (webresource.webresourcetype) by the file extensions the maker portal accepts for each: 1 HTML, 2 CSS,
    /// 3 JScript, 4 XML, 5 PNG, 6 JPG, 7 GIF, 8 Silverlight (XAP), 9 XSL, 10 ICO, 11 SVG, 12 RESX.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, string[]> WebResourceTypes = new Dictionary<int, string[]>
    {
        [1] = [".htm", ".html"], [2] = [".css"], [3] = [".js"], [4] = [".xml"], [5] = [".png"], [6] = [".jpg", ".jpeg"], [7] = [".gif"],
        [8] = [".xap"], [9] = [".xsl", ".xslt"], [10] = [".ico"], [11] = [".svg"], [12] = [".resx"],
    };

    /// <summary>
    /// Where a web resource's content sits in the zip: WebResources/&lt;name without '/' and '.'&gt;&lt;ID IN UPPER CASE&gt;, no extension
    /// (observed in exports; the record's FileName points there).
    /// </summary>
    public static string WebResourcePart(WebResourceSource webResource) =>
        "WebResources/" + new string(webResource.Name.Where(c => c is not ('/' or '.')).ToArray()) + (webResource.Id ?? "").ToUpperInvariant();

    /// <summary>Marks zips packed from a plugin built against the offline stand-in: they must never be imported.</summary>
    public const string NotDeployableSuffix = "_STANDIN-NOT-DEPLOYABLE";

    /// <summary>Columns every table has (Dataverse table reference: ownership, state and audit columns).</summary>
    public static readonly IReadOnlySet<string> CommonColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "statecode", "statuscode", "ownerid", "owninguser", "owningteam", "owningbusinessunit", "createdon", "createdby",
        "modifiedon", "modifiedby", "createdonbehalfby", "modifiedonbehalfby", "overriddencreatedon", "versionnumber",
        "importsequencenumber", "timezoneruleversionnumber", "utcconversiontimezonecode",
    };

    /// <summary>
    /// Standard columns of the Dataverse tables PartnerGuard's views and forms use (Dataverse table reference,
    /// learn.microsoft.com/power-apps/developer/data-platform/reference/entities/&lt;table&gt;). A solution exports such a
    /// table as a shell, so its Entity.xml lists only the columns the solution adds.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> StandardColumns = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["account"] = Set("name", "accountnumber", "parentaccountid", "primarycontactid", "customertypecode", "industrycode",
            "accountcategorycode", "revenue", "revenue_base", "numberofemployees", "address1_line1", "address1_city",
            "address1_stateorprovince", "address1_postalcode", "address1_country", "telephone1", "emailaddress1", "websiteurl",
            "description", "transactioncurrencyid", "exchangerate"),
        ["opportunity"] = Set("name", "customerid", "parentaccountid", "parentcontactid", "estimatedvalue", "estimatedvalue_base",
            "actualvalue", "actualvalue_base", "estimatedclosedate", "actualclosedate", "closeprobability", "opportunityratingcode",
            "stepname", "description", "transactioncurrencyid", "exchangerate"),
        ["team"] = Set("name", "businessunitid", "administratorid", "teamtype"),
        ["systemuser"] = Set("fullname", "firstname", "lastname", "domainname", "internalemailaddress", "businessunitid"),
        ["contact"] = Set("fullname", "firstname", "lastname", "jobtitle", "emailaddress1", "telephone1", "parentcustomerid"),
    };

    private static IReadOnlySet<string> Set(params string[] names) => new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
}
