using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>TAXII answers: JSON written directly (stored objects go out byte for byte) as application/taxii+json.</summary>
public static class TaxiiResults
{
    public static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        return new Result(buffer.WrittenMemory, status, headers);
    }

    /// <summary>No HTML-safe escaping: '+' in media types and quotes in messages stay readable.</summary>
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A TAXII error message resource.</summary>
    public static IResult Error(int status, string title, string description) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteString("description", description);
        w.WriteString("http_status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }, status);

    public static IResult NotFound(string what) => Error(StatusCodes.Status404NotFound, "Not Found", what);

    public static IResult BadRequest(string why) => Error(StatusCodes.Status400BadRequest, "Bad Request", why);

    sealed class Result(ReadOnlyMemory<byte> body, int status, IReadOnlyDictionary<string, string>? headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = TaxiiMediaTypes.Taxii;
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                http.Response.Headers[name] = value;
            }
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }
}
