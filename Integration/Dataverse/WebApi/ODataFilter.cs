using System.Globalization;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// Filter helpers. "Column is one of these values" comes two ways: OData's own (c eq a or c eq b …), and the
/// Dataverse query function Microsoft.Dynamics.CRM.In, which is shorter on the wire (one quoted id and a comma per
/// value instead of "accountid eq … or ") and which the server and the emulator read as one condition.
/// </summary>
internal static class ODataFilter
{
    /// <summary>
    /// <c>Microsoft.Dynamics.CRM.In(PropertyName='column',PropertyValues=['id1','id2'])</c>: PropertyValues is a
    /// Collection(Edm.String), values in single quotes ("Filter rows using OData", Dataverse query functions,
    /// learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows; double quotes are only needed
    /// for values with an apostrophe, which ids never have). About 39 characters per id.
    /// </summary>
    public static string In(string column, IEnumerable<Guid> ids)
    {
        var values = string.Join(",", ids.Select(id => $"'{id.ToString("D", CultureInfo.InvariantCulture)}'"));
        if (values.Length == 0)
        {
            throw new ArgumentException("In(...) needs at least one value; Dataverse refuses an empty list.", nameof(ids));
        }

        return $"Microsoft.Dynamics.CRM.In(PropertyName='{column}',PropertyValues=[{values}])";
    }

    /// <summary>
    /// <c>(column eq id1 or column eq id2 …)</c>: the OData form, for a lookup's <c>_x_value</c> property (which
    /// <see cref="In"/> cannot name: its PropertyName is a column's logical name) and wherever an empty list must still
    /// be a valid filter.
    /// </summary>
    public static string AnyOf(string column, IEnumerable<Guid> ids) =>
        "(" + string.Join(" or ", ids.Select(id => $"{column} eq {id.ToString("D", CultureInfo.InvariantCulture)}")) + ")";

    public static string AnyOf(string column, IEnumerable<int> values) =>
        "(" + string.Join(" or ", values.Select(v => $"{column} eq {v.ToString(CultureInfo.InvariantCulture)}")) + ")";
}
