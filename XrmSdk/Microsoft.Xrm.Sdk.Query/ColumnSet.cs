using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

/// <summary>The columns to return: either AllColumns or the named Columns.</summary>
[DataContract(Name = "ColumnSet", Namespace = XrmContracts.Namespace2011)]
public sealed class ColumnSet : IExtensibleDataObject
{
    private DataCollection<string> _columns;
    private AttributeExpressionList _attributeExpressions;

    public ColumnSet()
    {
    }

    public ColumnSet(bool allColumns)
    {
        AllColumns = allColumns;
    }

    /// <summary>Null gives an empty column list, as in the official type.</summary>
    public ColumnSet(params string[] columns)
    {
        Columns.AddRange(columns);
    }

    [DataMember]
    public bool AllColumns { get; set; }

    [DataMember]
    public DataCollection<string> Columns
    {
        get => _columns ??= new DataCollection<string>();
        set => _columns = value;
    }

    [DataMember(Name = "AttributeExpressions")]
    private AttributeExpressionList SerializedAttributeExpressions
    {
        get => _attributeExpressions ??= new AttributeExpressionList();
        set => _attributeExpressions = value;
    }

    public bool HasLazyFileAttribute { get; set; }

    public string LazyFileAttributeEntityName { get; set; }

    public string LazyFileAttributeKey { get; set; }

    public Lazy<object> LazyFileAttributeValue { get; set; }

    public int LazyFileAttributeSizeLimit { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    /// <summary>Null throws NullReferenceException, as in the official type (it enumerates the array).</summary>
    public void AddColumns(params string[] columns)
    {
        foreach (string column in columns)
        {
            Columns.Add(column);
        }
    }

    public void AddColumn(string column)
    {
        Columns.Add(column);
    }
}
