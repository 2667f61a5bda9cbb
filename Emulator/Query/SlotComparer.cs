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

/// <summary>What an ORDER BY key compares.</summary>
internal enum SortBy
{
    /// <summary>The stored value (a lookup's id, a choice's number).</summary>
    Value,

    /// <summary>A lookup by the referenced row's primary name.</summary>
    PrimaryName,

    /// <summary>A choice by its label in the org's base language.</summary>
    Label,
}

/// <summary>One ORDER BY key: a column of a plan node (the node's primary key when null), ascending or descending.</summary>
internal sealed record SortKey(QueryNode Node, ColumnMetadata? Column, bool Descending, SortBy By = SortBy.Value);

/// <summary>
/// Orders joined rows by the sort keys, nulls first ascending (last descending), as SQL Server does. A lookup key
/// ordered by primary name compares the referenced row's name (null when the row or its name is missing); a choice
/// key ordered by label compares the label (the number as text when the value has no label).
/// </summary>
internal sealed class SlotComparer : IComparer<Row?[]>
{
    private readonly List<SortKey> _keys;
    private readonly Func<LookupValue, string?> _nameOf;
    private readonly Dictionary<Guid, string?> _names = new();

    /// <param name="keys">The sort keys, most significant first.</param>
    /// <param name="nameOf">The primary name of a lookup's row (read once per referenced row and query).</param>
    public SlotComparer(List<SortKey> keys, Func<LookupValue, string?> nameOf)
    {
        _keys = keys;
        _nameOf = nameOf;
    }

    public object? ValueOf(Row?[] slots, SortKey key)
    {
        var row = slots[key.Node.Slot];
        if (row is null)
        {
            return null;
        }

        if (key.Column is null)
        {
            return row.Id;
        }

        var value = row.Get(key.Column.LogicalName);
        return (value, key.By) switch
        {
            (null, _) => null,
            (LookupValue lookup, SortBy.PrimaryName) => NameOf(lookup),
            (int option, SortBy.Label) => key.Column.OptionLabels.TryGetValue(option, out var label) ? label : option.ToString(CultureInfo.InvariantCulture),
            (bool flag, SortBy.Label) => key.Column.OptionLabels.TryGetValue(flag ? 1 : 0, out var label) ? label : flag ? "Yes" : "No",
            _ => ValueCodec.Comparable(value),
        };
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

    private string? NameOf(LookupValue lookup)
    {
        if (!_names.TryGetValue(lookup.Id, out var name))
        {
            name = _nameOf(lookup);
            _names[lookup.Id] = name;
        }

        return name;
    }
}
