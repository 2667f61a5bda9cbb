using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Storage;
using PartnerGuard.Emulator.Values;

namespace PartnerGuard.Emulator.Query;

/// <summary>One table of a query plan: the main table (slot 0) or a link-entity, with its join columns and compiled criteria.</summary>
internal sealed class QueryNode
{
    public required int Slot { get; init; }
    public required TableMetadata Table { get; init; }
    public required string Alias { get; init; }
    public QueryNode? Parent { get; init; }
    public LinkEntity? Link { get; init; }
    public ColumnMetadata? FromColumn { get; init; }
    public ColumnMetadata? ToColumn { get; init; }
    public ColumnSet? Columns { get; init; }
    public Func<Row?[], bool>? Criteria { get; set; }
    public Dictionary<object, List<Row>>? Index { get; set; }

    /// <summary>The rows of this table the caller may read (the security model's filter); null = all.</summary>
    public Func<Row, bool>? Readable { get; set; }
}
