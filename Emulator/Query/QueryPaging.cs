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

/// <summary>Paging: the top-k of a page, the first row after a paging cookie's key, and the cookie's values read back.</summary>
internal static class QueryPaging
{
    /// <summary>The k first rows in sort order: a full sort when k is a large share of the rows, else a bounded heap.</summary>
    public static List<Row?[]> Smallest(List<Row?[]> rows, int k, SlotComparer comparer)
    {
        if (k <= 0)
        {
            return new List<Row?[]>();
        }

        if ((long)k * 4 >= rows.Count)
        {
            rows.Sort(comparer);
            return rows.Count <= k ? rows : rows.GetRange(0, k);
        }

        var heap = new PriorityQueue<Row?[], Row?[]>(k + 1, Comparer<Row?[]>.Create((a, b) => comparer.Compare(b, a)));
        foreach (var row in rows)
        {
            if (heap.Count < k)
            {
                heap.Enqueue(row, row);
            }
            else if (comparer.Compare(row, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(row, row);
            }
        }

        var smallest = new List<Row?[]>(heap.Count);
        while (heap.Count > 0)
        {
            smallest.Add(heap.Dequeue());
        }

        smallest.Reverse();
        return smallest;
    }

    /// <summary>The index of the first sorted row strictly after the key (binary search).</summary>
    public static int FirstAfter(List<Row?[]> sorted, SlotComparer comparer, object?[] key)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (comparer.CompareToKey(sorted[middle], key) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    public static object? ParseCookieValue(SortKey key, string? text)
    {
        if (text is null)
        {
            return null;
        }

        // A key ordered by name or label holds text, whatever the column stores.
        var type = key.By == SortBy.Value ? key.Column?.Type ?? ColumnType.PrimaryKey : ColumnType.String;
        try
        {
            return type switch
            {
                ColumnType.String or ColumnType.Memo => text,
                ColumnType.Double => double.Parse(text, CultureInfo.InvariantCulture),
                ColumnType.Integer or ColumnType.BigInt or ColumnType.Decimal or ColumnType.Money
                    or ColumnType.Picklist or ColumnType.State or ColumnType.Status => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                ColumnType.Boolean => text == "1",
                ColumnType.DateTime => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                _ => Guid.Parse(text),
            };
        }
        catch (FormatException)
        {
            throw OrgFaults.InvalidArgument($"The paging cookie holds '{text}', which is not a valid value for '{key.Column?.LogicalName ?? key.Node.Table.PrimaryIdColumn}'.");
        }
    }
}
