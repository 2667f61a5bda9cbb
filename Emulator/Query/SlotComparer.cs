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

/// <summary>One ORDER BY key: a column of a plan node, ascending or descending.</summary>
internal sealed record SortKey(QueryNode Node, ColumnMetadata? Column, bool Descending);

/// <summary>Orders joined rows by the sort keys.</summary>
internal sealed class SlotComparer : IComparer<Row?[]>
{
    private readonly List<SortKey> _keys;

    public SlotComparer(List<SortKey> keys, int slots)
    {
        _keys = keys;
    }

    public object? ValueOf(Row?[] slots, SortKey key)
    {
        var row = slots[key.Node.Slot];
        if (row is null)
        {
            return null;
        }

        return key.Column is null ? row.Id : row.Get(key.Column.LogicalName) is { } value ? ValueCodec.Comparable(value) : null;
    }

    public object?[] KeyOf(Row?[] slots) => _keys.Select(k => ValueOf(slots, k)).ToArray();

    public int Compare(Row?[]? x, Row?[]? y)
    {
        for (var i = 0; i < _keys.Count; i++)
        {
            var result = ValueCodec.CompareNullable(ValueOf(x!, _keys[i]), ValueOf(y!, _keys[i]));
            if (result != 0)
            {
                return _keys[i].Descending ? -result : result;
            }
        }

        return 0;
    }

    public int CompareToKey(Row?[] slots, object?[] key)
    {
        for (var i = 0; i < _keys.Count; i++)
        {
            var result = ValueCodec.CompareNullable(ValueOf(slots, _keys[i]), key[i]);
            if (result != 0)
            {
                return _keys[i].Descending ? -result : result;
            }
        }

        return 0;
    }
}
