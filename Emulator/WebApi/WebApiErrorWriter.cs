using System.Globalization;
using System.ServiceModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// Writes a <see cref="WebApiException"/> as the Web API's OData error body; with <c>Prefer: odata.include-annotations</c>
/// the platform's error annotations are added.
/// </summary>
internal static class WebApiErrorWriter
{
    public static WebApiResponse Write(WebApiException error, HttpOperation? operation)
    {
        var prefer = operation is null ? null : SafePrefer(operation);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            if (error.Fault is { } fault && prefer is not null)
            {
                foreach (var (name, value) in ErrorDetails(fault))
                {
                    var annotation = "Microsoft.PowerApps.CDS.ErrorDetails." + name;
                    if (prefer.Includes(annotation))
                    {
                        w.WritePropertyName("@" + annotation);
                        EntityJsonWriter.WritePrimitive(w, value);
                    }
                }

                if (prefer.Includes("Microsoft.PowerApps.CDS.HelpLink"))
                {
                    w.WriteString("@Microsoft.PowerApps.CDS.HelpLink",
                        $"http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a{error.Code[2..]}&client=platform");
                }

                // A plug-in's fault also carries its trace and message (compose-http-requests-handle-errors).
                if (!string.IsNullOrEmpty(fault.TraceText) && prefer.Includes("Microsoft.PowerApps.CDS.TraceText"))
                {
                    w.WriteString("@Microsoft.PowerApps.CDS.TraceText", fault.TraceText);
                }

                if (prefer.Includes("Microsoft.PowerApps.CDS.InnerError.Message"))
                {
                    w.WriteString("@Microsoft.PowerApps.CDS.InnerError.Message", (fault.InnerFault ?? fault).Message);
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        var response = WebApiResponse.Json(error.Status, buffer.ToArray());
        return response;
    }

    private static IEnumerable<(string Name, object? Value)> ErrorDetails(OrganizationServiceFault fault)
    {
        foreach (var pair in fault.ErrorDetails)
        {
            if (pair.Value is null or string or int or long or bool or Guid or decimal or double)
            {
                yield return (pair.Key, pair.Value);
            }
        }
    }

    private static Prefer? SafePrefer(HttpOperation operation)
    {
        try
        {
            return Prefer.Parse(operation.HeaderValues("Prefer"));
        }
        catch (WebApiException)
        {
            return null;
        }
    }
}
