using System.Globalization;
using System.ServiceModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>JSON output settings: quotes and non-ASCII text are written as is (clients read them as JSON either way).</summary>
internal static class JsonWriting
{
    public static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON object response whose properties <paramref name="write"/> writes.</summary>
    public static WebApiResponse Body(int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return WebApiResponse.Json(status, buffer.ToArray());
    }
}
