using System.Globalization;
using System.ServiceModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>Splits a Web API path into entity set, key and the rest, and resolves the set and key.</summary>
internal static partial class WebApiRoute
{

    [GeneratedRegex(@"^(?<segment>[A-Za-z0-9_.$]+)(\((?<key>[^)]*)\))?(/(?<rest>.*))?$")]
    public static partial Regex PathPattern();

    public static (string Segment, string? Key, string? Tail) Split(string path)
    {
        var decoded = Uri.UnescapeDataString(path).Trim('/');
        var match = PathPattern().Match(decoded);
        if (!match.Success)
        {
            throw WebApiException.NotFoundSegment(decoded);
        }

        return (match.Groups["segment"].Value,
            match.Groups["key"].Success ? match.Groups["key"].Value : null,
            match.Groups["rest"].Success ? match.Groups["rest"].Value : null);
    }

    public static Guid KeyOf(WebApiTable table, string key)
    {
        if (Guid.TryParse(key, out var id))
        {
            return id;
        }

        throw WebApiException.BadRequest(
            $"The key '{key}' of '{table.EntitySetName}' is not a GUID; alternate keys are not supported by the PartnerGuard emulator.");
    }

    public static WebApiTable TableOf(CallContext context, string segment) => context.Model.FindBySet(segment) ?? throw WebApiException.NotFoundSegment(segment);
}
