using System.Runtime.Serialization;
using System.Xml;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.XrmSdk.Tests.Parity;

/// <summary>
/// DataContractSerializer output of the types the stand-in gives the official data contract. The expected XML
/// is what the official 9.0.2.56 assembly writes for the same values (see ExceptionParityTests for how).
/// </summary>
public sealed class SerializationParityTests
{
    private const string Head = "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.microsoft.com/xrm/2011/Contracts\"";

    public static TheoryData<object, string> OfficialXml => new()
    {
        { new OptionSetValue(3), $"<OptionSetValue {Head}><Value>3</Value></OptionSetValue>" },
        { new Money(2.5m), $"<Money {Head}><Value>2.5</Value></Money>" },
        { new Relationship("r"), $"<Relationship {Head}><PrimaryEntityRole i:nil=\"true\" /><SchemaName>r</SchemaName></Relationship>" },
        {
            new Relationship("r") { PrimaryEntityRole = EntityRole.Referenced },
            $"<Relationship {Head}><PrimaryEntityRole>Referenced</PrimaryEntityRole><SchemaName>r</SchemaName></Relationship>"
        },
        {
            new PagingInfo { Count = 5, PageNumber = 2, PagingCookie = "c" },
            $"<PagingInfo {Head}><Count>5</Count><PageNumber>2</PageNumber><PagingCookie>c</PagingCookie><ReturnTotalRecordCount>false</ReturnTotalRecordCount></PagingInfo>"
        },
        {
            new OrderExpression("a", OrderType.Descending, "al", "e"),
            $"<OrderExpression {Head}><Alias>al</Alias><AttributeName>a</AttributeName><EntityName>e</EntityName><OrderType>Descending</OrderType></OrderExpression>"
        },
        {
            new ConditionExpression("e", "a", ConditionOperator.In, 1, "x", new Guid("00000000-0000-0000-0000-000000000001")),
            $"<ConditionExpression {Head}><AttributeName>a</AttributeName><CompareColumns>false</CompareColumns><Operator>In</Operator>"
                + "<Values xmlns:d2p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">"
                + "<d2p1:anyType xmlns:d3p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d3p1:int\">1</d2p1:anyType>"
                + "<d2p1:anyType xmlns:d3p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d3p1:string\">x</d2p1:anyType>"
                + "<d2p1:anyType xmlns:d3p1=\"http://schemas.microsoft.com/2003/10/Serialization/\" i:type=\"d3p1:guid\">00000000-0000-0000-0000-000000000001</d2p1:anyType>"
                + "</Values><EntityName>e</EntityName></ConditionExpression>"
        },
        {
            new ConditionExpression(),
            $"<ConditionExpression {Head}><AttributeName i:nil=\"true\" /><CompareColumns>false</CompareColumns><Operator>Equal</Operator>"
                + "<Values xmlns:d2p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\" /><EntityName i:nil=\"true\" /></ConditionExpression>"
        },
        {
            new ColumnSet("a", "b"),
            $"<ColumnSet {Head}><AllColumns>false</AllColumns><AttributeExpressions />"
                + "<Columns xmlns:d2p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\"><d2p1:string>a</d2p1:string><d2p1:string>b</d2p1:string></Columns></ColumnSet>"
        },
        {
            new ExecuteMultipleSettings { ContinueOnError = true },
            "<ExecuteMultipleSettings xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.microsoft.com/xrm/2012/Contracts\">"
                + "<ContinueOnError>true</ContinueOnError><ReturnResponses>false</ReturnResponses></ExecuteMultipleSettings>"
        },
    };

    [Theory]
    [MemberData(nameof(OfficialXml))]
    public void DataContractXml_MatchesTheOfficialAssembly(object value, string expected)
    {
        Assert.Equal(expected, Write(value));
    }

    [Fact]
    public void UnknownElements_AreKeptAsExtensionData_AndWrittenBack()
    {
        string xml = $"<OptionSetValue {Head}><Extra>9</Extra><Value>3</Value></OptionSetValue>";
        var serializer = new DataContractSerializer(typeof(OptionSetValue));

        var read = (OptionSetValue)serializer.ReadObject(XmlReader.Create(new StringReader(xml)))!;

        Assert.Equal(3, read.Value);
        Assert.NotNull(read.ExtensionData);
        Assert.Equal(xml, Write(read));
    }

    // The official list is every exported class of the official assemblies marked [Serializable], intersected
    // with the types the stand-in declares (generic definitions included).
    [Fact]
    public void SerializableAttribute_IsOnTheSameTypesAsInTheOfficialAssembly()
    {
        Type[] marked =
        [
            typeof(InvalidPluginExecutionException), typeof(EntityReference), typeof(OrganizationServiceFault), typeof(BaseServiceFault),
            typeof(KeyAttributeCollection), typeof(ErrorDetailCollection), typeof(DataCollection<>), typeof(DataCollection<,>),
        ];

        List<string> actual = typeof(Entity).Assembly.GetExportedTypes()
            .Where(t => !t.IsEnum && !t.IsInterface && t.IsDefined(typeof(SerializableAttribute), inherit: false))
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t)
            .Select(t => t.FullName!)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(marked.Select(t => t.FullName!).OrderBy(n => n, StringComparer.Ordinal), actual);
    }

    [Fact]
    public void QueryExpression_WithLinkFilterOrdersAndTopCount_WritesTheOfficialXml()
    {
        var query = new QueryExpression("account") { TopCount = 5, NoLock = true, Distinct = true };
        LinkEntity link = query.AddLink("contact", "primarycontactid", "contactid", JoinOperator.LeftOuter);
        link.EntityAlias = "pc";
        link.Columns.AddColumn("fullname");
        link.LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 0);
        link.Orders.Add(new OrderExpression("fullname", OrderType.Ascending));
        query.Criteria.AddFilter(LogicalOperator.Or).AddCondition("name", ConditionOperator.Like, "a%");
        query.AddOrder("name", OrderType.Descending);

        string expected =
            $"<QueryExpression {Head}><ColumnSet><AllColumns>false</AllColumns><AttributeExpressions />"
                + $"<Columns xmlns:d3p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\" /></ColumnSet>"
                + $"<Criteria><AnyAllFilterLinkEntity i:nil=\"true\" /><Conditions /><FilterOperator>And</FilterOperator>"
                + $"<Filters><FilterExpression><AnyAllFilterLinkEntity i:nil=\"true\" /><Conditions><ConditionExpression>"
                + $"<AttributeName>name</AttributeName><CompareColumns>false</CompareColumns><Operator>Like</Operator>"
                + $"<Values xmlns:d7p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">"
                + $"<d7p1:anyType xmlns:d8p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d8p1:string\">a%</d7p1:anyType>"
                + $"</Values><EntityName i:nil=\"true\" /></ConditionExpression></Conditions>"
                + $"<FilterOperator>Or</FilterOperator><Filters /></FilterExpression></Filters></Criteria>"
                + $"<Distinct>true</Distinct><EntityName>account</EntityName><LinkEntities><LinkEntity><Columns>"
                + $"<AllColumns>false</AllColumns><AttributeExpressions />"
                + $"<Columns xmlns:d5p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">"
                + $"<d5p1:string>fullname</d5p1:string></Columns></Columns><EntityAlias>pc</EntityAlias>"
                + $"<JoinOperator>LeftOuter</JoinOperator><LinkCriteria><AnyAllFilterLinkEntity i:nil=\"true\" />"
                + $"<Conditions><ConditionExpression><AttributeName>statecode</AttributeName>"
                + $"<CompareColumns>false</CompareColumns><Operator>Equal</Operator>"
                + $"<Values xmlns:d7p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">"
                + $"<d7p1:anyType xmlns:d8p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d8p1:int\">0</d7p1:anyType>"
                + $"</Values><EntityName i:nil=\"true\" /></ConditionExpression></Conditions>"
                + $"<FilterOperator>And</FilterOperator><Filters /></LinkCriteria><LinkEntities />"
                + $"<LinkFromAttributeName>primarycontactid</LinkFromAttributeName>"
                + $"<LinkFromEntityName>account</LinkFromEntityName><LinkToAttributeName>contactid</LinkToAttributeName>"
                + $"<LinkToEntityName>contact</LinkToEntityName><Orders><OrderExpression><Alias i:nil=\"true\" />"
                + $"<AttributeName>fullname</AttributeName><EntityName i:nil=\"true\" /><OrderType>Ascending</OrderType>"
                + $"</OrderExpression></Orders></LinkEntity></LinkEntities><Orders><OrderExpression>"
                + $"<Alias i:nil=\"true\" /><AttributeName>name</AttributeName><EntityName i:nil=\"true\" />"
                + $"<OrderType>Descending</OrderType></OrderExpression></Orders><PageInfo><Count>0</Count>"
                + $"<PageNumber>0</PageNumber><PagingCookie i:nil=\"true\" />"
                + $"<ReturnTotalRecordCount>false</ReturnTotalRecordCount></PageInfo><NoLock>true</NoLock>"
                + $"<TopCount>5</TopCount></QueryExpression>";

        Assert.Equal(expected, Write(query));
    }

    [Fact]
    public void QueryTypes_WriteTheOfficialXml_AndReadItBack()
    {
        var byAttribute = new QueryByAttribute("account") { ColumnSet = new ColumnSet("name"), TopCount = 3 };
        byAttribute.AddAttributeValue("name", "x");
        byAttribute.AddOrder("name", OrderType.Ascending);
        const string Arrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

        Assert.Equal(
            $"<QueryByAttribute {Head}><Attributes xmlns:d2p1=\"{Arrays}\"><d2p1:string>name</d2p1:string></Attributes>"
                + $"<ColumnSet><AllColumns>false</AllColumns><AttributeExpressions /><Columns xmlns:d3p1=\"{Arrays}\"><d3p1:string>name</d3p1:string></Columns></ColumnSet>"
                + "<EntityName>account</EntityName><Orders><OrderExpression><Alias i:nil=\"true\" /><AttributeName>name</AttributeName><EntityName i:nil=\"true\" />"
                + "<OrderType>Ascending</OrderType></OrderExpression></Orders><PageInfo i:nil=\"true\" />"
                + $"<Values xmlns:d2p1=\"{Arrays}\"><d2p1:anyType xmlns:d3p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d3p1:string\">x</d2p1:anyType></Values>"
                + "<TopCount>3</TopCount></QueryByAttribute>",
            Write(byAttribute));
        Assert.Equal(
            $"<FilterExpression {Head}><AnyAllFilterLinkEntity i:nil=\"true\" /><Conditions /><FilterOperator>Or</FilterOperator><Filters />"
                + "<IsQuickFindFilter>true</IsQuickFindFilter><FilterHint>h</FilterHint></FilterExpression>",
            Write(new FilterExpression(LogicalOperator.Or) { FilterHint = "h", IsQuickFindFilter = true }));

        var asBase = new DataContractSerializer(typeof(QueryBase));
        var text = new StringWriter();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            asBase.WriteObject(writer, new FetchExpression("<fetch/>"));
        }

        Assert.Equal(
            "<QueryBase xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" i:type=\"FetchExpression\" xmlns=\"http://schemas.microsoft.com/xrm/2011/Contracts\">"
                + "<Query>&lt;fetch/&gt;</Query></QueryBase>",
            text.ToString());
        var read = (FetchExpression)asBase.ReadObject(XmlReader.Create(new StringReader(text.ToString())))!;
        Assert.Equal("<fetch/>", read.Query);
    }

    private static string Write(object value)
    {
        var serializer = new DataContractSerializer(value.GetType());
        var text = new StringWriter();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            serializer.WriteObject(writer, value);
        }

        return text.ToString();
    }
}
