using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk.Query;

/// <summary>The columns to return: either AllColumns or the named Columns.</summary>
public sealed class ColumnSet
{
    private DataCollection<string> _columns;

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

    public bool AllColumns { get; set; }

    public DataCollection<string> Columns
    {
        get => _columns ??= new DataCollection<string>();
        set => _columns = value;
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
