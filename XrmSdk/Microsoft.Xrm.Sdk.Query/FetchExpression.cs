namespace Microsoft.Xrm.Sdk.Query;

/// <summary>A FetchXML query text.</summary>
public sealed class FetchExpression : QueryBase
{
    public FetchExpression()
    {
    }

    public FetchExpression(string query)
    {
        Query = query;
    }

    public string Query { get; set; }
}
