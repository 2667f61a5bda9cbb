using System.Globalization;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Values;

/// <summary>
/// Converts between SDK values and the emulator's internal values, and compares internal values the way
/// Dataverse's default collation does (case- and accent-insensitive text).
/// </summary>
/// <remarks>
/// Internal forms: text → string; whole number → int; big integer → long; decimal and money → decimal;
/// float → double; yes/no → bool; date/time → DateTime (UTC, whole seconds); lookups → <see cref="LookupValue"/>;
/// choice/state/status → int; unique identifiers → Guid.
/// </remarks>
internal static class ValueCodec
{
    private static readonly CompareInfo Collation = CultureInfo.InvariantCulture.CompareInfo;
    private const CompareOptions CollationOptions = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace | CompareOptions.IgnoreWidth | CompareOptions.IgnoreKanaType;

    /// <summary>String equality with Dataverse's default (case- and accent-insensitive) collation.</summary>
    public static readonly StringComparer TextComparer = StringComparer.Create(CultureInfo.InvariantCulture, CollationOptions);

    /// <summary>Equality of internal values, for joins, Distinct and hash lookups.</summary>
    public static readonly IEqualityComparer<object> KeyComparer = new InternalValueEqualityComparer();

    /// <summary>
    /// Converts a value written by a caller (Create/Update) to its internal form, rejecting values of the
    /// wrong type as Dataverse does. Returns null when the value clears the column.
    /// </summary>
    public static object? ToStored(TableMetadata table, ColumnMetadata column, object? value)
    {
        if (value is null)
        {
            return null;
        }

        switch (column.Type)
        {
            case ColumnType.String:
            case ColumnType.Memo:
                if (value is not string text)
                {
                    throw WrongType(table, column, value, "System.String");
                }

                if (text.Length == 0)
                {
                    return null;
                }

                if (column.MaxLength is int max && text.Length > max)
                {
                    throw OrgFaults.Create(OrgErrorCodes.StringLengthTooLong,
                        $"A validation error occurred. The length of the '{column.LogicalName}' attribute of the '{table.LogicalName}' entity exceeded the maximum allowed length of '{max}'.");
                }

                return text;
            case ColumnType.Integer:
                return value is int i ? i : throw WrongType(table, column, value, "System.Int32");
            case ColumnType.BigInt:
                return value switch
                {
                    long l => l,
                    int i2 => (long)i2,
                    _ => throw WrongType(table, column, value, "System.Int64"),
                };
            case ColumnType.Decimal:
                return value is decimal d ? d : throw WrongType(table, column, value, "System.Decimal");
            case ColumnType.Double:
                return value is double db ? db : throw WrongType(table, column, value, "System.Double");
            case ColumnType.Money:
                return value is Money money ? money.Value : throw WrongType(table, column, value, "Microsoft.Xrm.Sdk.Money");
            case ColumnType.Boolean:
                return value is bool b ? b : throw WrongType(table, column, value, "System.Boolean");
            case ColumnType.DateTime:
                return value is DateTime dt ? NormalizeDate(dt) : throw WrongType(table, column, value, "System.DateTime");
            case ColumnType.Lookup:
            case ColumnType.Customer:
            case ColumnType.Owner:
                if (value is not EntityReference reference)
                {
                    throw WrongType(table, column, value, "Microsoft.Xrm.Sdk.EntityReference");
                }

                if (string.IsNullOrEmpty(reference.LogicalName))
                {
                    throw OrgFaults.InvalidArgument(
                        $"The EntityReference set on '{table.LogicalName}.{column.LogicalName}' has no LogicalName; set the table it points to ({string.Join(", ", column.Targets)}).");
                }

                if (column.Targets.Count > 0 && !column.Targets.Contains(reference.LogicalName, StringComparer.Ordinal))
                {
                    throw OrgFaults.InvalidArgument(
                        $"The lookup '{table.LogicalName}.{column.LogicalName}' cannot point to a '{reference.LogicalName}' record; it accepts {string.Join(", ", column.Targets)}.");
                }

                if (reference.Id == Guid.Empty)
                {
                    throw OrgFaults.InvalidArgument(
                        $"The EntityReference set on '{table.LogicalName}.{column.LogicalName}' has an empty Id.");
                }

                return new LookupValue(reference.LogicalName, reference.Id);
            case ColumnType.Picklist:
            case ColumnType.State:
            case ColumnType.Status:
                if (value is not OptionSetValue option)
                {
                    throw WrongType(table, column, value, "Microsoft.Xrm.Sdk.OptionSetValue");
                }

                if (column.Options.Count > 0 && !column.Options.Contains(option.Value))
                {
                    throw OrgFaults.Create(OrgErrorCodes.InvalidArgument,
                        $"A validation error occurred. The value {option.Value} of '{column.LogicalName}' on record of type '{table.LogicalName}' is outside the valid range. Accepted Values: {string.Join(",", column.Options.OrderBy(o => o))}");
                }

                return option.Value;
            case ColumnType.UniqueIdentifier:
            case ColumnType.PrimaryKey:
                return value is Guid g ? g : throw WrongType(table, column, value, "System.Guid");
            default:
                throw new InvalidOperationException($"Unhandled column type {column.Type}.");
        }
    }

    /// <summary>The SDK form of a stored value, fresh for every call so callers never alias stored state.</summary>
    public static object ToSdk(ColumnMetadata column, object stored, Func<LookupValue, string?> nameOf)
    {
        switch (stored)
        {
            case LookupValue lookup:
                return new EntityReference(lookup.Table, lookup.Id) { Name = nameOf(lookup) };
            case decimal d when column.Type == ColumnType.Money:
                return new Money(d);
            case int i when column.IsOptionSet:
                return new OptionSetValue(i);
            case DateTime dt:
                return DateTime.SpecifyKind(dt, DateTimeKind.Utc);
            default:
                return stored;
        }
    }

    /// <summary>Dataverse stores date/time values in UTC with whole-second precision.</summary>
    public static DateTime NormalizeDate(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        };
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    /// <summary>
    /// Converts a query value (QueryExpression condition or FetchXML text) for comparison with a column,
    /// accepting the forms Dataverse accepts (Guid or EntityReference for lookups, int or OptionSetValue for
    /// choices, numbers of any type for numeric columns, text for everything in FetchXML).
    /// </summary>
    public static object ToQueryValue(TableMetadata table, ColumnMetadata column, object? value)
    {
        if (value is null)
        {
            throw OrgFaults.InvalidArgument($"Condition for attribute '{table.LogicalName}.{column.LogicalName}': a null value is not allowed; use the Null or NotNull operator.");
        }

        try
        {
            switch (column.Type)
            {
                case ColumnType.String:
                case ColumnType.Memo:
                    return value switch
                    {
                        string s => s,
                        _ => throw QueryType(table, column, value, "System.String"),
                    };
                case ColumnType.Integer:
                case ColumnType.BigInt:
                case ColumnType.Decimal:
                case ColumnType.Money:
                case ColumnType.Double:
                    return value switch
                    {
                        Money m => m.Value,
                        int i => (decimal)i,
                        long l => (decimal)l,
                        decimal d => d,
                        double db => column.Type == ColumnType.Double ? db : (decimal)db,
                        float f => (decimal)f,
                        string s when column.Type == ColumnType.Double => double.Parse(s, CultureInfo.InvariantCulture),
                        string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                        _ => throw QueryType(table, column, value, "System.Decimal"),
                    };
                case ColumnType.Boolean:
                    return value switch
                    {
                        bool b => b,
                        int i => i != 0,
                        string s when s == "1" => true,
                        string s when s == "0" => false,
                        string s => bool.Parse(s),
                        _ => throw QueryType(table, column, value, "System.Boolean"),
                    };
                case ColumnType.DateTime:
                    return value switch
                    {
                        DateTime dt => NormalizeDate(dt),
                        string s => NormalizeDate(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
                        _ => throw QueryType(table, column, value, "System.DateTime"),
                    };
                case ColumnType.Lookup:
                case ColumnType.Customer:
                case ColumnType.Owner:
                case ColumnType.UniqueIdentifier:
                case ColumnType.PrimaryKey:
                    return value switch
                    {
                        Guid g => g,
                        EntityReference r => r.Id,
                        string s => Guid.Parse(s),
                        _ => throw QueryType(table, column, value, "System.Guid"),
                    };
                case ColumnType.Picklist:
                case ColumnType.State:
                case ColumnType.Status:
                    return value switch
                    {
                        int i => i,
                        OptionSetValue o => o.Value,
                        long l => checked((int)l),
                        string s => int.Parse(s, CultureInfo.InvariantCulture),
                        _ => throw QueryType(table, column, value, "System.Int32"),
                    };
                default:
                    throw new InvalidOperationException($"Unhandled column type {column.Type}.");
            }
        }
        catch (FormatException)
        {
            throw OrgFaults.InvalidArgument(
                $"Condition for attribute '{table.LogicalName}.{column.LogicalName}': the value '{value}' is not a valid {column.Type} value.");
        }
        catch (OverflowException)
        {
            throw OrgFaults.InvalidArgument(
                $"Condition for attribute '{table.LogicalName}.{column.LogicalName}': the value '{value}' is out of range.");
        }
    }

    /// <summary>The comparable form of a stored value (lookups compare by id).</summary>
    public static object Comparable(object stored) => stored switch
    {
        LookupValue lookup => lookup.Id,
        int i => (decimal)i,
        long l => (decimal)l,
        _ => stored,
    };

    /// <summary>Orders two comparable values; text uses the default collation.</summary>
    public static int Compare(object a, object b)
    {
        a = Comparable(a);
        b = Comparable(b);
        return (a, b) switch
        {
            (string x, string y) => Collation.Compare(x, y, CollationOptions),
            (decimal x, decimal y) => x.CompareTo(y),
            (double x, double y) => x.CompareTo(y),
            (double x, decimal y) => x.CompareTo((double)y),
            (decimal x, double y) => ((double)x).CompareTo(y),
            (DateTime x, DateTime y) => x.CompareTo(y),
            (Guid x, Guid y) => UniqueIdentifierOrder.Compare(x, y),
            (bool x, bool y) => x.CompareTo(y),
            _ => throw OrgFaults.InvalidArgument($"Cannot compare a {a.GetType().Name} value with a {b.GetType().Name} value."),
        };
    }

    /// <summary>Compares two possibly-null values; null sorts first, as SQL Server does in ascending order.</summary>
    public static int CompareNullable(object? a, object? b)
    {
        if (a is null)
        {
            return b is null ? 0 : -1;
        }

        return b is null ? 1 : Compare(a, b);
    }

    /// <summary>Text for a value in a paging cookie.</summary>
    public static string ToCookieText(object stored) => Comparable(stored) switch
    {
        string s => s,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double db => db.ToString("R", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("o", CultureInfo.InvariantCulture),
        Guid g => g.ToString("B").ToUpperInvariant(),
        bool b => b ? "1" : "0",
        var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static Exception WrongType(TableMetadata table, ColumnMetadata column, object value, string expected)
        => OrgFaults.Create(OrgErrorCodes.InvalidArgument,
            $"Incorrect attribute value type {value.GetType().FullName} for attribute '{column.LogicalName}' of entity '{table.LogicalName}': expected {expected}.");

    private static Exception QueryType(TableMetadata table, ColumnMetadata column, object value, string expected)
        => OrgFaults.InvalidArgument(
            $"Condition for attribute '{table.LogicalName}.{column.LogicalName}': expected argument(s) of type '{expected}' but received '{value.GetType().FullName}'.");

    private sealed class InternalValueEqualityComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y)
        {
            if (x is null || y is null)
            {
                return x is null && y is null;
            }

            x = Comparable(x);
            y = Comparable(y);
            if (x is string sx && y is string sy)
            {
                return TextComparer.Equals(sx, sy);
            }

            return x.Equals(y);
        }

        public int GetHashCode(object obj)
        {
            var value = Comparable(obj);
            return value is string s ? TextComparer.GetHashCode(s) : value.GetHashCode();
        }
    }
}
