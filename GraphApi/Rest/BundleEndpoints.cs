using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.GraphApi.Hosting;
using ThreatGraph.GraphApi.Ingest;
using ThreatGraph.Stix;

namespace ThreatGraph.GraphApi.Rest;

/// <summary>REST: <c>POST /api/bundles</c> (ingest) and <c>GET /api/objects/{id}</c> (the stored STIX JSON).</summary>
public static class BundleEndpoints
{
    public const string StixMediaType = "application/stix+json;version=2.1";

    static readonly string[] JsonMediaTypes = ["application/json", "application/stix+json", "application/taxii+json"];

    public static IEndpointRouteBuilder MapBundleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/bundles", IngestAsync);
        app.MapGet("/api/objects/{id}", GetObjectAsync);
        return app;
    }

    static async Task<IResult> IngestAsync(HttpContext http, BundleIngestService ingest, IOptions<ApiOptions> options)
    {
        var contentType = http.Request.ContentType;
        if (contentType is not null && !JsonMediaTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            return Error(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                $"send the bundle as application/json or {StixMediaType}, not {contentType}");
        }
        var max = options.Value.MaxBundleBytes;
        var body = await BodyReader.ReadAsync(http, max);
        if (body is null)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, "BUNDLE_TOO_LARGE",
                $"the bundle is larger than the limit of {max} bytes (Api:MaxBundleBytes); split it into smaller bundles");
        }
        if (body.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, "EMPTY_BODY", "the request body is empty; send a STIX 2.1 bundle");
        }
        try
        {
            return Results.Json(await ingest.IngestAsync(body), RestJson.Options);
        }
        catch (StixJsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, "MALFORMED_JSON", e.Message);
        }
    }

    static async Task<IResult> GetObjectAsync(string id, IGrainFactory grains)
    {
        if (!StixId.IsValid(id))
        {
            return Error(StatusCodes.Status400BadRequest, "BAD_ID", $"'{id}' is not a STIX id (type--UUID)");
        }
        var view = await grains.GetNode(id).GetViewAsync();
        return view?.Json is { } json
            ? Results.Text(json, StixMediaType)
            : Error(StatusCodes.Status404NotFound, "NOT_FOUND", $"no object {id}");
    }

    static IResult Error(int status, string code, string message) =>
        Results.Json(ApiError.Of(code, message), RestJson.Options, statusCode: status);
}
