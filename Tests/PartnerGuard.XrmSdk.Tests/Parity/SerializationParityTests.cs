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

    [Fact]
    public void Entity_WithEveryKindOfValue_WritesTheOfficialXml_AndReadsItBack()
    {
        var entity = new Entity("account", new Guid("00000000-0000-0000-0000-000000000001"))
        {
            ["a"] = new AliasedValue("contact", "fullname", "x"),
            ["o"] = new OptionSetValueCollection(new[] { new OptionSetValue(1) }),
            ["r"] = new EntityReference("contact", Guid.Empty),
            ["c"] = new EntityCollection(new List<Entity> { new("contact") }),
            ["n"] = null,
            ["d"] = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            ["m"] = 1.5m,
        };
        entity.FormattedValues["a"] = "x";
        entity.KeyAttributes["k"] = "v";
        entity.RelatedEntities[new Relationship("rel")] = new EntityCollection();
        entity.EntityState = EntityState.Changed;

        string xml = Write(entity);

        Assert.Equal(
            $"<Entity {Head}>"
                + $"<Attributes xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">"
                + $"<KeyValuePairOfstringanyType><d2p1:key>a</d2p1:key><d2p1:value i:type=\"AliasedValue\">"
                + $"<AttributeLogicalName>fullname</AttributeLogicalName><EntityLogicalName>contact</EntityLogicalName>"
                + $"<NeedFormatting>false</NeedFormatting><ReturnType>0</ReturnType>"
                + $"<Value xmlns:d5p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d5p1:string\">x</Value></d2p1:value>"
                + $"</KeyValuePairOfstringanyType><KeyValuePairOfstringanyType><d2p1:key>o</d2p1:key>"
                + $"<d2p1:value xmlns:d4p1=\"http://schemas.microsoft.com/xrm/9.0/Contracts\" i:type=\"d4p1:OptionSetValueCollection\">"
                + $"<d4p1:OptionSetValue><Value>1</Value></d4p1:OptionSetValue></d2p1:value>"
                + $"</KeyValuePairOfstringanyType><KeyValuePairOfstringanyType><d2p1:key>r</d2p1:key>"
                + $"<d2p1:value i:type=\"EntityReference\"><Id>00000000-0000-0000-0000-000000000000</Id>"
                + $"<KeyAttributes xmlns:d5p1=\"http://schemas.microsoft.com/xrm/7.1/Contracts\" />"
                + $"<LogicalName>contact</LogicalName><Name i:nil=\"true\" /><RowVersion i:nil=\"true\" /></d2p1:value>"
                + $"</KeyValuePairOfstringanyType><KeyValuePairOfstringanyType><d2p1:key>c</d2p1:key>"
                + $"<d2p1:value i:type=\"EntityCollection\"><Entities><Entity><Attributes /><EntityState i:nil=\"true\" />"
                + $"<FormattedValues /><Id>00000000-0000-0000-0000-000000000000</Id>"
                + $"<KeyAttributes xmlns:d7p1=\"http://schemas.microsoft.com/xrm/7.1/Contracts\" />"
                + $"<LogicalName>contact</LogicalName><RelatedEntities /><RowVersion i:nil=\"true\" /></Entity></Entities>"
                + $"<EntityName i:nil=\"true\" /><MinActiveRowVersion i:nil=\"true\" /><MoreRecords>false</MoreRecords>"
                + $"<PagingCookie i:nil=\"true\" /><TotalRecordCount>0</TotalRecordCount>"
                + $"<TotalRecordCountLimitExceeded>false</TotalRecordCountLimitExceeded></d2p1:value>"
                + $"</KeyValuePairOfstringanyType><KeyValuePairOfstringanyType><d2p1:key>n</d2p1:key>"
                + $"<d2p1:value i:nil=\"true\" /></KeyValuePairOfstringanyType><KeyValuePairOfstringanyType>"
                + $"<d2p1:key>d</d2p1:key>"
                + $"<d2p1:value xmlns:d4p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d4p1:dateTime\">2020-01-01T00:00:00Z</d2p1:value>"
                + $"</KeyValuePairOfstringanyType><KeyValuePairOfstringanyType><d2p1:key>m</d2p1:key>"
                + $"<d2p1:value xmlns:d4p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d4p1:decimal\">1.5</d2p1:value>"
                + $"</KeyValuePairOfstringanyType></Attributes><EntityState>Changed</EntityState>"
                + $"<FormattedValues xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">"
                + $"<KeyValuePairOfstringstring><d2p1:key>a</d2p1:key><d2p1:value>x</d2p1:value>"
                + $"</KeyValuePairOfstringstring></FormattedValues><Id>00000000-0000-0000-0000-000000000001</Id>"
                + $"<KeyAttributes xmlns:d2p1=\"http://schemas.microsoft.com/xrm/7.1/Contracts\" xmlns:d2p2=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">"
                + $"<d2p1:KeyValuePairOfstringanyType><d2p2:key>k</d2p2:key>"
                + $"<d2p2:value xmlns:d4p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d4p1:string\">v</d2p2:value>"
                + $"</d2p1:KeyValuePairOfstringanyType></KeyAttributes><LogicalName>account</LogicalName>"
                + $"<RelatedEntities xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">"
                + $"<KeyValuePairOfRelationshipEntityCollectionX_PsK4FkN><d2p1:key><PrimaryEntityRole i:nil=\"true\" />"
                + $"<SchemaName>rel</SchemaName></d2p1:key><d2p1:value><Entities /><EntityName i:nil=\"true\" />"
                + $"<MinActiveRowVersion i:nil=\"true\" /><MoreRecords>false</MoreRecords><PagingCookie i:nil=\"true\" />"
                + $"<TotalRecordCount>0</TotalRecordCount>"
                + $"<TotalRecordCountLimitExceeded>false</TotalRecordCountLimitExceeded></d2p1:value>"
                + $"</KeyValuePairOfRelationshipEntityCollectionX_PsK4FkN></RelatedEntities><RowVersion i:nil=\"true\" />"
                + $"</Entity>",
            xml);
        var serializer = new DataContractSerializer(typeof(Entity));
        var read = (Entity)serializer.ReadObject(XmlReader.Create(new StringReader(xml)))!;
        Assert.Equal(xml, Write(read));
    }

    [Fact]
    public void EntityCollection_WritesTheOfficialXml()
    {
        var collection = new EntityCollection(new List<Entity> { new("a") }) { MoreRecords = true, PagingCookie = "p", EntityName = "a" };

        Assert.Equal(
            $"<EntityCollection {Head}><Entities><Entity>"
                + $"<Attributes xmlns:d4p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\" />"
                + $"<EntityState i:nil=\"true\" />"
                + $"<FormattedValues xmlns:d4p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\" />"
                + $"<Id>00000000-0000-0000-0000-000000000000</Id>"
                + $"<KeyAttributes xmlns:d4p1=\"http://schemas.microsoft.com/xrm/7.1/Contracts\" xmlns:d4p2=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\" />"
                + $"<LogicalName>a</LogicalName>"
                + $"<RelatedEntities xmlns:d4p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\" />"
                + $"<RowVersion i:nil=\"true\" /></Entity></Entities><EntityName>a</EntityName>"
                + $"<MinActiveRowVersion i:nil=\"true\" /><MoreRecords>true</MoreRecords><PagingCookie>p</PagingCookie>"
                + $"<TotalRecordCount>0</TotalRecordCount>"
                + $"<TotalRecordCountLimitExceeded>false</TotalRecordCountLimitExceeded></EntityCollection>",
            Write(collection));
    }

    [Fact]
    public void OrganizationServiceFault_WritesTheOfficialXml_WithItsInnerFaultAndDetails()
    {
        var fault = new OrganizationServiceFault
        {
            ErrorCode = 5,
            Message = "m",
            TraceText = "t",
            Timestamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            ActivityId = new Guid("00000000-0000-0000-0000-000000000002"),
            HelpLink = "h",
            InnerFault = new OrganizationServiceFault { ErrorCode = 6 },
        };
        fault.ErrorDetails["k"] = "v";

        Assert.Equal(
            $"<OrganizationServiceFault {Head}><ActivityId>00000000-0000-0000-0000-000000000002</ActivityId>"
                + $"<ErrorCode>5</ErrorCode>"
                + $"<ErrorDetails xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">"
                + $"<KeyValuePairOfstringanyType><d2p1:key>k</d2p1:key>"
                + $"<d2p1:value xmlns:d4p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d4p1:string\">v</d2p1:value>"
                + $"</KeyValuePairOfstringanyType></ErrorDetails><HelpLink>h</HelpLink><Message>m</Message>"
                + $"<Timestamp>2020-01-01T00:00:00Z</Timestamp><ExceptionRetriable>false</ExceptionRetriable>"
                + $"<ExceptionSource i:nil=\"true\" /><InnerFault>"
                + $"<ActivityId>00000000-0000-0000-0000-000000000000</ActivityId><ErrorCode>6</ErrorCode>"
                + $"<ErrorDetails xmlns:d3p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\" />"
                + $"<HelpLink i:nil=\"true\" /><Message i:nil=\"true\" /><Timestamp>0001-01-01T00:00:00</Timestamp>"
                + $"<ExceptionRetriable>false</ExceptionRetriable><ExceptionSource i:nil=\"true\" />"
                + $"<InnerFault i:nil=\"true\" /><OriginalException i:nil=\"true\" /><TraceText i:nil=\"true\" /></InnerFault>"
                + $"<OriginalException i:nil=\"true\" /><TraceText>t</TraceText></OrganizationServiceFault>",
            Write(fault));
    }

    [Fact]
    public void TypedRequest_WrittenAsOrganizationRequest_CarriesItsTypeAndParameters_AndReadsBack()
    {
        var request = new Microsoft.Xrm.Sdk.Messages.RetrieveRequest { Target = new EntityReference("a", Guid.Empty), ColumnSet = new ColumnSet("x") };
        var serializer = new DataContractSerializer(typeof(OrganizationRequest));

        string xml = WriteAs(serializer, request);

        Assert.Equal(
            "<OrganizationRequest xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" i:type=\"RetrieveRequest\" xmlns=\"http://schemas.microsoft.com/xrm/2011/Contracts\">"
                + "<Parameters xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">"
                + "<KeyValuePairOfstringanyType><d2p1:key>Target</d2p1:key><d2p1:value i:type=\"EntityReference\">"
                + "<Id>00000000-0000-0000-0000-000000000000</Id>"
                + "<KeyAttributes xmlns:d5p1=\"http://schemas.microsoft.com/xrm/7.1/Contracts\" />"
                + "<LogicalName>a</LogicalName><Name i:nil=\"true\" /><RowVersion i:nil=\"true\" /></d2p1:value>"
                + "</KeyValuePairOfstringanyType><KeyValuePairOfstringanyType><d2p1:key>ColumnSet</d2p1:key>"
                + "<d2p1:value i:type=\"ColumnSet\"><AllColumns>false</AllColumns><AttributeExpressions />"
                + "<Columns xmlns:d5p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">"
                + "<d5p1:string>x</d5p1:string></Columns></d2p1:value></KeyValuePairOfstringanyType></Parameters>"
                + "<RequestId i:nil=\"true\" /><RequestName>Retrieve</RequestName></OrganizationRequest>",
            xml);
        var read = Assert.IsType<Microsoft.Xrm.Sdk.Messages.RetrieveRequest>(serializer.ReadObject(XmlReader.Create(new StringReader(xml))));
        Assert.Equal("a", read.Target.LogicalName);
        Assert.Equal(["x"], read.ColumnSet.Columns);
    }

    [Fact]
    public void Response_WritesTheOfficialXml_AndCrmMessagesAreNotKnownTypesOfTheBase()
    {
        var response = new OrganizationResponse { ResponseName = "x", Results = { ["a"] = 1 } };

        Assert.Equal(
            "<OrganizationResponse xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.microsoft.com/xrm/2011/Contracts\">"
                + "<ResponseName>x</ResponseName>"
                + "<Results xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">"
                + "<KeyValuePairOfstringanyType><d2p1:key>a</d2p1:key>"
                + "<d2p1:value xmlns:d4p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d4p1:int\">1</d2p1:value>"
                + "</KeyValuePairOfstringanyType></Results></OrganizationResponse>",
            WriteAs(new DataContractSerializer(typeof(OrganizationResponse)), response));

        // The official OrganizationRequest lists only the Microsoft.Xrm.Sdk.Messages requests as known types;
        // a Microsoft.Crm.Sdk.Messages request written through the base type fails there too.
        Assert.Throws<SerializationException>(
            () => WriteAs(new DataContractSerializer(typeof(OrganizationRequest)), new Microsoft.Crm.Sdk.Messages.WhoAmIRequest()));
    }

    [Fact]
    public void ExecuteMultipleRequest_WithItsRequestCollectionAndSettings_WritesTheOfficialXml_AndReadsBack()
    {
        var request = new Microsoft.Xrm.Sdk.Messages.ExecuteMultipleRequest
        {
            Requests = new OrganizationRequestCollection { new Microsoft.Xrm.Sdk.Messages.DeleteRequest { Target = new EntityReference("a", Guid.Empty) } },
            Settings = new ExecuteMultipleSettings(),
        };
        var serializer = new DataContractSerializer(typeof(OrganizationRequest));

        string xml = WriteAs(serializer, request);

        Assert.Equal(
            "<OrganizationRequest xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" i:type=\"ExecuteMultipleRequest\" xmlns=\"http://schemas.microsoft.com/xrm/2011/Contracts\">"
                + "<Parameters xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">"
                + "<KeyValuePairOfstringanyType><d2p1:key>Requests</d2p1:key>"
                + "<d2p1:value xmlns:d4p1=\"http://schemas.microsoft.com/xrm/2012/Contracts\" i:type=\"d4p1:OrganizationRequestCollection\">"
                + "<d4p1:OrganizationRequest i:type=\"DeleteRequest\"><Parameters><KeyValuePairOfstringanyType>"
                + "<d2p1:key>Target</d2p1:key><d2p1:value i:type=\"EntityReference\">"
                + "<Id>00000000-0000-0000-0000-000000000000</Id>"
                + "<KeyAttributes xmlns:d9p1=\"http://schemas.microsoft.com/xrm/7.1/Contracts\" />"
                + "<LogicalName>a</LogicalName><Name i:nil=\"true\" /><RowVersion i:nil=\"true\" /></d2p1:value>"
                + "</KeyValuePairOfstringanyType></Parameters><RequestId i:nil=\"true\" />"
                + "<RequestName>Delete</RequestName></d4p1:OrganizationRequest></d2p1:value>"
                + "</KeyValuePairOfstringanyType><KeyValuePairOfstringanyType><d2p1:key>Settings</d2p1:key>"
                + "<d2p1:value xmlns:d4p1=\"http://schemas.microsoft.com/xrm/2012/Contracts\" i:type=\"d4p1:ExecuteMultipleSettings\">"
                + "<d4p1:ContinueOnError>false</d4p1:ContinueOnError><d4p1:ReturnResponses>false</d4p1:ReturnResponses>"
                + "</d2p1:value></KeyValuePairOfstringanyType></Parameters><RequestId i:nil=\"true\" />"
                + "<RequestName>ExecuteMultiple</RequestName></OrganizationRequest>",
            xml);
        var read = Assert.IsType<Microsoft.Xrm.Sdk.Messages.ExecuteMultipleRequest>(serializer.ReadObject(XmlReader.Create(new StringReader(xml))));
        Assert.IsType<Microsoft.Xrm.Sdk.Messages.DeleteRequest>(Assert.Single(read.Requests));
    }

    private static string WriteAs(DataContractSerializer serializer, object value)
    {
        var text = new StringWriter();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            serializer.WriteObject(writer, value);
        }

        return text.ToString();
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
