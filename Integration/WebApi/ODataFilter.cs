using System.Globalization;

namespace PartnerGuard.Integration.WebApi;

/// <summary>
/// Filter helpers. "Column is one of these values" is written as OData's own (c eq a or c eq b …) rather than
/// the Dataverse-specific Microsoft.Dynamics.CRM.In function, so the same query works on every Web API host,
/// the embedded emulator included.
/// </summary>
internal static class ODataFilter
{
    public static string AnyOf(string column, IEnumerable<Guid> ids) =>
        "(" + string.Join(" or ", ids.Select(id => $"{column} eq {id.ToString("D", CultureInfo.InvariantCulture)}")) + ")";

    public static string AnyOf(string column, IEnumerable<int> values) =>
        "(" + string.Join(" or ", values.Select(v => $"{column} eq {v.ToString(CultureInfo.InvariantCulture)}")) + ")";
}
