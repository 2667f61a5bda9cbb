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
    // with the types the stand-in declares.
    [Fact]
    public void SerializableAttribute_IsOnTheSameTypesAsInTheOfficialAssembly()
    {
        Type[] marked =
        [
            typeof(InvalidPluginExecutionException), typeof(EntityReference), typeof(OrganizationServiceFault), typeof(BaseServiceFault),
            typeof(KeyAttributeCollection), typeof(ErrorDetailCollection),
        ];

        List<string> actual = typeof(Entity).Assembly.GetExportedTypes()
            .Where(t => !t.IsEnum && !t.IsInterface && t.IsDefined(typeof(SerializableAttribute), inherit: false))
            .Select(t => t.FullName!)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(marked.Select(t => t.FullName!).OrderBy(n => n, StringComparer.Ordinal), actual);
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
