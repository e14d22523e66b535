using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.Hosting;
using ThreatGraph.GraphApi.Ingest;
using ThreatGraph.Stix;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Security;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.GraphApi.Rest;

/// <summary>REST: <c>POST /api/bundles</c> (ingest; the <see cref="Roles.Ingest"/> policy), <c>GET /api/objects/{id}</c> (the stored STIX JSON) and
/// <c>GET /api/objects/{id}/stix20</c> (the STIX 2.0 JSON it was upgraded from).</summary>
public static class BundleEndpoints
{
    public const string StixMediaType = "application/stix+json;version=2.1";
    public const string Stix20MediaType = "application/stix+json;version=2.0";

    static readonly string[] JsonMediaTypes = ["application/json", "application/stix+json", "application/taxii+json"];

    public static IEndpointRouteBuilder MapBundleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/bundles", IngestAsync).RequireAuthorization(Roles.Ingest);
        app.MapGet("/api/objects/{id}", GetObjectAsync).RequireAuthorization();
        app.MapGet("/api/objects/{id}/stix20", GetOriginalStix20Async).RequireAuthorization();
        return app;
    }

    static async Task<IResult> IngestAsync(HttpContext http, BundleIngestService ingest, IOptions<ApiOptions> options, AuditTrail audit)
    {
        var caller = CallerContext.Current;
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
            var report = await ingest.IngestAsync(body);
            audit.Record(caller, "rest POST /api/bundles", true,
                report.Objects.Where(o => o.Id is not null && o.Outcome != UpsertOutcome.Rejected).Select(o => o.Id!),
                $"created {report.Totals.Created}, updated {report.Totals.Updated}, unchanged {report.Totals.Unchanged}, rejected {report.Totals.Rejected}");
            return Results.Json(report, RestJson.Options);
        }
        catch (StixJsonException e)
        {
            var code = BundleIngestService.CodeOf(e);
            audit.Record(caller, "rest POST /api/bundles", true, [], code);
            return Error(StatusCodes.Status400BadRequest, code, e.Message);
        }
        catch (IngestRefusedException e)
        {
            audit.Record(caller, "rest POST /api/bundles", true, [], e.Code);
            if (e.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return Error(e.Status, e.Code, e.Message);
        }
    }

    static async Task<IResult> GetObjectAsync(string id, IGrainFactory grains, AuditTrail audit)
    {
        if (!StixId.IsValid(id))
        {
            return Error(StatusCodes.Status400BadRequest, "BAD_ID", $"'{id}' is not a STIX id (type--UUID)");
        }
        var view = await grains.GetNode(id).GetViewAsync();
        audit.Record(CallerContext.Current, "rest GET /api/objects", false, view?.Json is null ? [] : [id], view?.Json is null ? "not found" : "ok");
        // Invisible and unknown are the same answer: "no object".
        return view?.Json is { } json
            ? Results.Text(json, StixMediaType)
            : Error(StatusCodes.Status404NotFound, "NOT_FOUND", "no such object");
    }

    /// <summary>The STIX 2.0 JSON the current version was upgraded from: read through the same view as the object, so
    /// whoever may not see the object gets the same 404 as for an unknown id.</summary>
    static async Task<IResult> GetOriginalStix20Async(string id, IGrainFactory grains, AuditTrail audit)
    {
        if (!StixId.IsValid(id))
        {
            return Error(StatusCodes.Status400BadRequest, "BAD_ID", $"'{id}' is not a STIX id (type--UUID)");
        }
        var view = await grains.GetNode(id).GetViewAsync();
        audit.Record(CallerContext.Current, "rest GET /api/objects/stix20", false, view?.Json is null ? [] : [id], view?.Json is null ? "not found" : "ok");
        if (view?.Json is null)
        {
            return Error(StatusCodes.Status404NotFound, "NOT_FOUND", "no such object");
        }
        return view.Original is { } original
            ? Results.Text(original, Stix20MediaType)
            : Error(StatusCodes.Status404NotFound, "NOT_UPGRADED", "this object was received as STIX 2.1; it has no STIX 2.0 original");
    }

    static IResult Error(int status, string code, string message) =>
        Results.Json(ApiError.Of(code, message), RestJson.Options, statusCode: status);
}
