using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// A Custom API over the Web API. A function is a GET on <c>/&lt;uniquename&gt;(Name=@a,…)?@a=value</c> ("Use Web API
/// functions": parameters inline or as parameter aliases; an entity reference as <c>{"@odata.id":"accounts(&lt;id&gt;)"}</c>,
/// with double or single quotes); an action is a POST on <c>/&lt;uniquename&gt;</c> with the parameters in a JSON body
/// (entity references as <c>{"@odata.type":"Microsoft.Dynamics.CRM.account","accountid":"…"}</c> or an <c>@odata.id</c>).
/// The answer is the response properties as JSON; an EntityReference property is written the way Dataverse writes one,
/// the <c>@odata.type</c> of its table and its primary key only.
/// </summary>
internal static partial class CustomApiCalls
{
    public static WebApiResponse Function(DataverseOrg org, CallContext context, HttpOperation operation, CustomApi api, string? key, string? rest)
    {
        if (!api.IsFunction)
        {
            throw WebApiException.BadRequest($"'{api.UniqueName}' is an action: call it with POST, not GET.");
        }

        if (rest is not null || key is null)
        {
            throw WebApiException.NotFoundSegment(rest ?? api.UniqueName);
        }

        var aliases = operation.QueryOptions();
        var request = new OrganizationRequest(api.UniqueName);
        foreach (var pair in key.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw WebApiException.BadRequest($"The parameter '{pair}' of function '{api.UniqueName}' is not written Name=value.");
            }

            var name = pair[..eq].Trim();
            var text = pair[(eq + 1)..].Trim();
            if (text.StartsWith('@'))
            {
                text = aliases.TryGetValue(text, out var aliased)
                    ? aliased
                    : throw WebApiException.BadRequest($"The parameter alias '{text}' of function '{api.UniqueName}' has no value in the query string.");
            }

            var parameter = api.RequestParameters.FirstOrDefault(p => p.Name == name)
                ?? throw WebApiException.BadRequest($"The function '{api.UniqueName}' has no parameter '{name}'.");
            request[name] = ParseLiteral(context, api, parameter, text);
        }

        return Answer(org, context, api, request);
    }

    public static WritePlan Action(CallContext context, HttpOperation operation, CustomApi api)
    {
        if (api.IsFunction)
        {
            throw WebApiException.BadRequest($"'{api.UniqueName}' is a function: call it with GET, not POST.");
        }

        var request = new OrganizationRequest(api.UniqueName);
        if (operation.Body.Length > 0)
        {
            using var body = JsonDocument.Parse(operation.Body);
            foreach (var property in body.RootElement.EnumerateObject())
            {
                var parameter = api.RequestParameters.FirstOrDefault(p => p.Name == property.Name)
                    ?? throw WebApiException.BadRequest($"The action '{api.UniqueName}' has no parameter '{property.Name}'.");
                request[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : ParseJson(context, api, parameter, property.Value);
            }
        }

        return new WritePlan
        {
            Request = request,
            Respond = response => Body(context, api, response),
        };
    }

    private static WebApiResponse Answer(DataverseOrg org, CallContext context, CustomApi api, OrganizationRequest request)
        => Body(context, api, WebApiDispatcher.Execute(org, context, request, bypass: false));

    private static WebApiResponse Body(CallContext context, CustomApi api, OrganizationResponse response)
    {
        if (api.ResponseProperties.Count == 0)
        {
            return new WebApiResponse(204);
        }

        return JsonWriting.Body(200, w =>
        {
            w.WriteString("@odata.context", context.Root + "$metadata#Microsoft.Dynamics.CRM." + api.UniqueName + "Response");
            foreach (var property in api.ResponseProperties)
            {
                w.WritePropertyName(property.Name);
                WriteValue(context, w, response.Results.TryGetValue(property.Name, out var value) ? value : null);
            }
        });
    }

    private static void WriteValue(CallContext context, Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string text:
                w.WriteStringValue(text);
                break;
            case bool flag:
                w.WriteBooleanValue(flag);
                break;
            case int number:
                w.WriteNumberValue(number);
                break;
            case decimal number:
                w.WriteNumberValue(number);
                break;
            case double number:
                w.WriteNumberValue(number);
                break;
            case Money money:
                w.WriteNumberValue(money.Value);
                break;
            case OptionSetValue option:
                w.WriteNumberValue(option.Value);
                break;
            case Guid id:
                w.WriteStringValue(id.ToString("D"));
                break;
            case DateTime time:
                w.WriteStringValue(time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                break;
            case string[] texts:
                w.WriteStartArray();
                foreach (var text in texts)
                {
                    w.WriteStringValue(text);
                }

                w.WriteEndArray();
                break;
            case EntityReference reference:
                var table = context.Model.FindByLogicalName(reference.LogicalName);
                w.WriteStartObject();
                w.WriteString("@odata.type", "#Microsoft.Dynamics.CRM." + reference.LogicalName);
                w.WriteString(table?.Table.PrimaryIdColumn ?? reference.LogicalName + "id", reference.Id.ToString("D"));
                w.WriteEndObject();
                break;
            default:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>A function parameter as written in the URL (inline or as an alias's value).</summary>
    private static object? ParseLiteral(CallContext context, CustomApi api, CustomApiField parameter, string text)
    {
        if (text == "null")
        {
            return null;
        }

        try
        {
            switch (parameter.Type)
            {
                case 5:
                    var match = ODataId().Match(text);
                    return match.Success
                        ? Reference(context, api, parameter, match.Groups["set"].Value, match.Groups["id"].Value)
                        : throw Bad(api, parameter, text);
                case 10:
                    return text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' ? text[1..^1].Replace("''", "'", StringComparison.Ordinal) : throw Bad(api, parameter, text);
                case 0:
                    return bool.Parse(text);
                case 2:
                    return decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                case 8:
                    return new Money(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                case 6:
                    return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                case 7:
                    return int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
                case 9:
                    return new OptionSetValue(int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture));
                case 12:
                    return Guid.Parse(text);
                case 1:
                    return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                default:
                    throw WebApiException.BadRequest($"The PartnerGuard emulator does not read {parameter.TypeName} parameters of a function ('{parameter.Name}').");
            }
        }
        catch (FormatException)
        {
            throw Bad(api, parameter, text);
        }
    }

    /// <summary>An action parameter from the JSON body.</summary>
    private static object? ParseJson(CallContext context, CustomApi api, CustomApiField parameter, JsonElement value)
    {
        switch (parameter.Type)
        {
            case 5 when value.ValueKind == JsonValueKind.Object:
                if (value.TryGetProperty("@odata.id", out var odataId) && ODataId().Match("{\"@odata.id\":\"" + odataId.GetString() + "\"}") is { Success: true } match)
                {
                    return Reference(context, api, parameter, match.Groups["set"].Value, match.Groups["id"].Value);
                }

                var typeName = value.TryGetProperty("@odata.type", out var type) ? type.GetString()?.Split('.').Last() : parameter.LogicalEntityName;
                var table = typeName is null ? null : context.Model.FindByLogicalName(typeName);
                if (table is not null && value.TryGetProperty(table.Table.PrimaryIdColumn, out var id) && Guid.TryParse(id.GetString(), out var guid))
                {
                    return new EntityReference(table.Table.LogicalName, guid);
                }

                throw Bad(api, parameter, value.GetRawText());
            case 10 when value.ValueKind == JsonValueKind.String:
                return value.GetString();
            case 0 when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean();
            case 2 when value.ValueKind == JsonValueKind.Number:
                return value.GetDecimal();
            case 8 when value.ValueKind == JsonValueKind.Number:
                return new Money(value.GetDecimal());
            case 6 when value.ValueKind == JsonValueKind.Number:
                return value.GetDouble();
            case 7 when value.ValueKind == JsonValueKind.Number:
                return value.GetInt32();
            case 9 when value.ValueKind == JsonValueKind.Number:
                return new OptionSetValue(value.GetInt32());
            case 12 when value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var g):
                return g;
            default:
                throw Bad(api, parameter, value.GetRawText());
        }
    }

    private static EntityReference Reference(CallContext context, CustomApi api, CustomApiField parameter, string set, string id)
    {
        var table = context.Model.FindBySet(set) ?? throw WebApiException.BadRequest($"The parameter '{parameter.Name}' of '{api.UniqueName}' names the unknown entity set '{set}'.");
        return new EntityReference(table.Table.LogicalName, Guid.Parse(id));
    }

    private static WebApiException Bad(CustomApi api, CustomApiField parameter, string text)
        => WebApiException.BadRequest($"The value '{text}' of parameter '{parameter.Name}' of '{api.UniqueName}' is not a valid {parameter.TypeName}.");

    /// <summary>{"@odata.id":"accounts(&lt;id&gt;)"} with double or single quotes, the set name possibly preceded by the service root.</summary>
    [GeneratedRegex("""^\{\s*["']@odata\.id["']\s*:\s*["'](?:.*/)?(?<set>[A-Za-z0-9_]+)\((?<id>[0-9A-Fa-f-]{36})\)["']\s*\}$""")]
    private static partial Regex ODataId();
}
