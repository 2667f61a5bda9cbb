using System.Globalization;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>
/// How PartnerGuard reads the CSV files people give it (plans, mapping files): comma-separated, a header row, '#'
/// comment lines, line numbers tracked for messages, and malformed quoting or a wrong number of fields is an error
/// rather than a guess.
/// </summary>
internal static class StrictCsv
{
    public static CsvReaderOptions ReaderOptions() => new()
    {
        Separator = ',',
        HasHeader = true,
        CommentPrefix = '#',
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
        FormatProvider = CultureInfo.InvariantCulture,
    };
}
