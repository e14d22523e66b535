using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Hosting;
using ThreatGraph.GraphApi.Ingest;
using ThreatGraph.GraphApi.Rest;
using ThreatGraph.GraphApi.Security;
using ThreatGraph.Stix;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>
/// TAXII 2.1 under <c>/taxii2/</c>: discovery, one API root (<c>threatgraph</c>), one collection holding everything
/// ingested, objects (GET/POST), objects/{id}, versions, manifest and status. Authentication is the gateway's (API key
/// or bearer token); every answer is filtered by the access policy through the node grains (see <see cref="TaxiiReader"/>).
/// </summary>
public static class TaxiiEndpoints
{
    public const string ApiRoot = "threatgraph";
    const string DateAddedFirst = "X-TAXII-Date-Added-First";
    const string DateAddedLast = "X-TAXII-Date-Added-Last";

    public static IServiceCollection AddThreatGraphTaxii(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TaxiiOptions>().Bind(configuration.GetSection(TaxiiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TaxiiReader>();
        return services;
    }

    public static IEndpointRouteBuilder MapTaxiiEndpoints(this IEndpointRouteBuilder app)
    {
        var taxii = app.MapGroup("/taxii2").AddEndpointFilter(AuthenticateAndNegotiateAsync);
        taxii.MapGet("/", Discovery);
        taxii.MapGet("/{root}/", ApiRootInfo);
        taxii.MapGet("/{root}/collections/", Collections);
        taxii.MapGet("/{root}/collections/{collection}/", Collection);
        taxii.MapGet("/{root}/collections/{collection}/objects/", GetObjectsAsync);
        taxii.MapPost("/{root}/collections/{collection}/objects/", PostObjectsAsync);
        taxii.MapGet("/{root}/collections/{collection}/objects/{id}/", GetObjectAsync);
        taxii.MapGet("/{root}/collections/{collection}/objects/{id}/versions/", GetVersionsAsync);
        taxii.MapGet("/{root}/collections/{collection}/manifest/", GetManifestAsync);
        taxii.MapGet("/{root}/status/{status}/", GetStatusAsync);
        return app;
    }

    /// <summary>The gateway's authentication rules (as for GraphQL and REST), answered with TAXII error resources,
    /// the caller into RequestContext, then Accept negotiation.</summary>
    static async ValueTask<object?> AuthenticateAndNegotiateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var failure = http.Items.TryGetValue(CallerMiddleware.AuthFailureKey, out var f) ? f as string : null;
        var caller = ThreatGraphClaims.Caller(http.User);
        var community = http.RequestServices.GetRequiredService<IOptions<CommunityOptions>>().Value;
        if (failure is not null || (caller.IsAnonymous && !community.AllowAnonymous))
        {
            http.Response.Headers.WWWAuthenticate = "ApiKey, Bearer";
            return TaxiiResults.Error(StatusCodes.Status401Unauthorized, "Unauthorized",
                failure ?? "send an API key (X-Api-Key: … or Authorization: ApiKey …) or a bearer token");
        }
        if (!TaxiiMediaTypes.Accepts(http.Request))
        {
            return TaxiiResults.Error(StatusCodes.Status406NotAcceptable, "Not Acceptable",
                $"this server answers {TaxiiMediaTypes.Taxii}; the request accepts only {http.Request.Headers.Accept}");
        }
        CallerContext.Set(caller);
        return await next(context);
    }

    static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/taxii2/";

    static IResult Discovery(HttpRequest request, IOptions<TaxiiOptions> options) => TaxiiResults.Json(w =>
    {
        var root = BaseUrl(request) + ApiRoot + "/";
        w.WriteStartObject();
        w.WriteString("title", options.Value.Title);
        w.WriteString("description", "STIX 2.1 threat intelligence of the ThreatGraph community, filtered by TLP 2.0 for the caller.");
        w.WriteString("default", root);
        w.WriteStartArray("api_roots");
        w.WriteStringValue(root);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    static IResult ApiRootInfo(string root, IOptions<TaxiiOptions> options, IOptions<ApiOptions> api)
    {
        if (root != ApiRoot)
        {
            return TaxiiResults.NotFound($"no API root '{root}'");
        }
        return TaxiiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("title", options.Value.Title);
            w.WriteString("description", "Every object the community shares, one collection.");
            w.WriteStartArray("versions");
            w.WriteStringValue(TaxiiMediaTypes.Taxii);
            w.WriteEndArray();
            w.WriteNumber("max_content_length", api.Value.MaxBundleBytes);
            w.WriteEndObject();
        });
    }

    static IResult Collections(string root, HttpContext http)
    {
        if (root != ApiRoot)
        {
            return TaxiiResults.NotFound($"no API root '{root}'");
        }
        return TaxiiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("collections");
            WriteCollection(w, http);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static IResult Collection(string root, string collection, HttpContext http) =>
        Find(root, collection) ?? TaxiiResults.Json(w => WriteCollection(w, http));

    static void WriteCollection(Utf8JsonWriter w, HttpContext http)
    {
        w.WriteStartObject();
        w.WriteString("id", TaxiiCollections.DefaultId);
        w.WriteString("title", "ThreatGraph shared collection");
        w.WriteString("description", "Every object version ingested into this deployment, by any path; each caller sees what TLP 2.0 lets it see.");
        w.WriteBoolean("can_read", true);
        w.WriteBoolean("can_write", http.User.HasRole("ingest"));
        w.WriteStartArray("media_types");
        w.WriteStringValue(TaxiiMediaTypes.Stix);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Null when the API root and collection exist; else the 404.</summary>
    static IResult? Find(string root, string collection) =>
        root != ApiRoot ? TaxiiResults.NotFound($"no API root '{root}'")
        : collection != TaxiiCollections.DefaultId ? TaxiiResults.NotFound($"no collection '{collection}'")
        : null;

    static async Task<IResult> GetObjectsAsync(string root, string collection, HttpContext http, TaxiiReader reader,
        IOptions<TaxiiOptions> options, AuditTrail audit)
    {
        if (Find(root, collection) is { } missing)
        {
            return missing;
        }
        var (filter, error) = TaxiiFilter.Parse(http.Request.Query, options.Value, reader.Partitions);
        if (filter is null)
        {
            return TaxiiResults.BadRequest(error!);
        }
        var page = await reader.ReadAsync(collection, filter, withContent: true, http.RequestAborted);
        audit.Record(CallerContext.Current, "taxii GET objects", false, page.Items.Select(i => i.Entry.Id).Distinct(), $"{page.Items.Count} objects");
        return Envelope(page);
    }

    static async Task<IResult> GetObjectAsync(string root, string collection, string id, HttpContext http, TaxiiReader reader,
        IOptions<TaxiiOptions> options, AuditTrail audit)
    {
        if (Find(root, collection) is { } missing)
        {
            return missing;
        }
        var (filter, error) = TaxiiFilter.Parse(http.Request.Query, options.Value, reader.Partitions);
        if (filter is null)
        {
            return TaxiiResults.BadRequest(error!);
        }
        // Invisible and unknown are the same answer.
        if (!await reader.IsKnownAndVisibleAsync(collection, id))
        {
            audit.Record(CallerContext.Current, "taxii GET object", false, [], "not found");
            return TaxiiResults.NotFound($"no object '{id}' in this collection");
        }
        var page = await reader.ReadAsync(collection, filter with { Ids = [id] }, withContent: true, http.RequestAborted);
        audit.Record(CallerContext.Current, "taxii GET object", false, [id], $"{page.Items.Count} versions");
        return Envelope(page);
    }

    static async Task<IResult> GetVersionsAsync(string root, string collection, string id, HttpContext http, TaxiiReader reader,
        IOptions<TaxiiOptions> options)
    {
        if (Find(root, collection) is { } missing)
        {
            return missing;
        }
        var (filter, error) = TaxiiFilter.Parse(http.Request.Query, options.Value, reader.Partitions);
        if (filter is null)
        {
            return TaxiiResults.BadRequest(error!);
        }
        if (!await reader.IsKnownAndVisibleAsync(collection, id))
        {
            return TaxiiResults.NotFound($"no object '{id}' in this collection");
        }
        var page = await reader.ReadAsync(collection, filter with { Ids = [id], Versions = ["all"] }, withContent: false, http.RequestAborted);
        return TaxiiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("more", page.More);
            if (page.Next is { } next)
            {
                w.WriteString("next", next);
            }
            if (page.Items.Count > 0)
            {
                w.WriteStartArray("versions");
                foreach (var (e, _) in page.Items)
                {
                    w.WriteStringValue(e.Version);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }, headers: DateHeaders(page));
    }

    static async Task<IResult> GetManifestAsync(string root, string collection, HttpContext http, TaxiiReader reader,
        IOptions<TaxiiOptions> options)
    {
        if (Find(root, collection) is { } missing)
        {
            return missing;
        }
        var (filter, error) = TaxiiFilter.Parse(http.Request.Query, options.Value, reader.Partitions);
        if (filter is null)
        {
            return TaxiiResults.BadRequest(error!);
        }
        var page = await reader.ReadAsync(collection, filter, withContent: false, http.RequestAborted);
        return TaxiiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("more", page.More);
            if (page.Next is { } next)
            {
                w.WriteString("next", next);
            }
            if (page.Items.Count > 0)
            {
                w.WriteStartArray("objects");
                foreach (var (e, _) in page.Items)
                {
                    w.WriteStartObject();
                    w.WriteString("id", e.Id);
                    w.WriteString("date_added", TaxiiTimestamp.Format(e.DateAdded));
                    w.WriteString("version", e.Version);
                    w.WriteString("media_type", "application/stix+json;version=" + (e.SpecVersion ?? "2.1"));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }, headers: DateHeaders(page));
    }

    static IResult Envelope(TaxiiPage page) => TaxiiResults.Json(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("more", page.More);
        if (page.Next is { } next)
        {
            w.WriteString("next", next);
        }
        if (page.Items.Count > 0)
        {
            w.WriteStartArray("objects");
            foreach (var (_, json) in page.Items)
            {
                w.WriteRawValue(json!, skipInputValidation: true);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }, headers: DateHeaders(page));

    static Dictionary<string, string>? DateHeaders(TaxiiPage page) => page.Items.Count == 0 ? null : new()
    {
        [DateAddedFirst] = TaxiiTimestamp.Format(page.Items[0].Entry.DateAdded),
        [DateAddedLast] = TaxiiTimestamp.Format(page.Items[^1].Entry.DateAdded),
    };

    static async Task<IResult> PostObjectsAsync(string root, string collection, HttpContext http, IGrainFactory grains,
        BundleIngestService ingest, IOptions<ApiOptions> api, AuditTrail audit, TimeProvider clock)
    {
        if (Find(root, collection) is { } missing)
        {
            return missing;
        }
        var caller = CallerContext.Current;
        if (!http.User.HasRole("ingest"))
        {
            audit.Record(caller, "taxii POST objects", true, [], "forbidden");
            return TaxiiResults.Error(StatusCodes.Status403Forbidden, "Forbidden", "your credentials may not add objects (they lack the 'ingest' role)");
        }
        if (!TaxiiMediaTypes.IsTaxiiContent(http.Request))
        {
            return TaxiiResults.Error(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                $"send a TAXII envelope as {TaxiiMediaTypes.Taxii}, not {http.Request.ContentType ?? "nothing"}");
        }
        var max = api.Value.MaxBundleBytes;
        var body = await BodyReader.ReadAsync(http, max);
        if (body is null)
        {
            return TaxiiResults.Error(StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large",
                $"the envelope is larger than max_content_length ({max} bytes); split it");
        }
        var requestTime = clock.GetUtcNow();
        // Read strictly and ingested like a bundle (BundleIngestService): a body that is not UTF-8 or JSON, or whose
        // envelope has a duplicate key or a lone surrogate, is a 400; a corrupted or oversize object is a failure in
        // the status; too many objects 413; over the organisation's write quota 429. Nothing is written for a refusal.
        BundleReadResult envelope;
        IngestReport report;
        try
        {
            envelope = ingest.ReadTaxiiEnvelope(body);
            report = await ingest.IngestAsync(envelope, body.Length);
        }
        catch (StixJsonException e)
        {
            audit.Record(caller, "taxii POST objects", true, [], BundleIngestService.CodeOf(e));
            return TaxiiResults.BadRequest("the body is not a TAXII envelope: " + e.Message);
        }
        catch (IngestRefusedException e)
        {
            audit.Record(caller, "taxii POST objects", true, [], e.Code);
            if (e.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return TaxiiResults.Error(e.Status, e.Status switch
            {
                StatusCodes.Status429TooManyRequests => "Too Many Requests",
                StatusCodes.Status503ServiceUnavailable => "Service Unavailable",
                _ => "Request Entity Too Large",
            }, e.Message);
        }

        var successes = new List<TaxiiStatusDetail>();
        var failures = new List<TaxiiStatusDetail>();
        foreach (var result in report.Objects)
        {
            var entry = envelope.Entries[result.Index];
            var (id, version) = (entry.Id, entry.Version ?? "");
            if (result.Outcome == UpsertOutcome.Rejected)
            {
                failures.Add(new TaxiiStatusDetail(result.Id ?? id ?? "", version, string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}"))));
            }
            else
            {
                successes.Add(new TaxiiStatusDetail(result.Id ?? id ?? "", version, result.Outcome.ToString().ToLowerInvariant()));
            }
        }
        var status = new TaxiiStatus(Guid.NewGuid().ToString(), "complete", requestTime, successes, failures, [], caller.Org);
        await grains.GetGrain<ITaxiiStatusGrain>(status.Id).SetAsync(status);
        audit.Record(caller, "taxii POST objects", true, successes.Select(s => s.Id),
            $"success {successes.Count}, failure {failures.Count}");
        return TaxiiResults.Json(w => WriteStatus(w, status), StatusCodes.Status202Accepted);
    }

    static async Task<IResult> GetStatusAsync(string root, string status, IGrainFactory grains)
    {
        if (root != ApiRoot)
        {
            return TaxiiResults.NotFound($"no API root '{root}'");
        }
        var found = await grains.GetGrain<ITaxiiStatusGrain>(status).GetAsync();
        var caller = CallerContext.Current;
        // Another organisation's status names the ids it sent: it is theirs alone.
        if (found is null || (found.OwnerOrg != caller.Org && !caller.IsSystem))
        {
            return TaxiiResults.NotFound($"no status '{status}'");
        }
        return TaxiiResults.Json(w => WriteStatus(w, found));
    }

    static void WriteStatus(Utf8JsonWriter w, TaxiiStatus s)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("status", s.Status);
        w.WriteString("request_timestamp", TaxiiTimestamp.Format(s.RequestTimestamp));
        w.WriteNumber("total_count", s.TotalCount);
        w.WriteNumber("success_count", s.Successes.Count);
        Details(w, "successes", s.Successes);
        w.WriteNumber("failure_count", s.Failures.Count);
        Details(w, "failures", s.Failures);
        w.WriteNumber("pending_count", s.Pendings.Count);
        Details(w, "pendings", s.Pendings);
        w.WriteEndObject();
    }

    static void Details(Utf8JsonWriter w, string name, IReadOnlyList<TaxiiStatusDetail> details)
    {
        w.WriteStartArray(name);
        foreach (var d in details)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("version", d.Version);
            if (d.Message is { } m)
            {
                w.WriteString("message", m);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
