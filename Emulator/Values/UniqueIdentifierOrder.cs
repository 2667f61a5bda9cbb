namespace PartnerGuard.Emulator.Values;

/// <summary>
/// The order SQL Server gives uniqueidentifier values, which Dataverse (a SQL Server database) uses for
/// <c>$orderby</c>, FetchXML <c>order</c>, range conditions and paging on Guid columns. It is neither
/// <see cref="Guid.CompareTo(Guid)"/> nor the order of the text: the last six bytes (the string's fifth group) weigh
/// most, then the fourth group, then the third, second and first, each group's bytes compared as
/// <see cref="Guid.ToByteArray()"/> lays them out. Source: Microsoft Learn, "Comparing GUID and uniqueidentifier
/// values" (ADO.NET), and <c>System.Data.SqlTypes.SqlGuid.CompareTo</c>, which implements SQL Server's order; the
/// tests check this comparison against SqlGuid.
/// </summary>
internal static class UniqueIdentifierOrder
{
    // Byte positions of Guid.TryWriteBytes (little-endian layout), most significant first.
    private static ReadOnlySpan<byte> Significance => new byte[] { 10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3 };

    /// <summary>Compares two Guids in SQL Server's uniqueidentifier order.</summary>
    public static int Compare(Guid x, Guid y)
    {
        if (x == y)
        {
            return 0;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a);
        y.TryWriteBytes(b);
        foreach (var i in Significance)
        {
            if (a[i] != b[i])
            {
                return a[i] < b[i] ? -1 : 1;
            }
        }

        return 0;
    }

    /// <summary>An <see cref="IComparer{T}"/> over the same order.</summary>
    public static IComparer<Guid> Comparer { get; } = Comparer<Guid>.Create(Compare);
}
