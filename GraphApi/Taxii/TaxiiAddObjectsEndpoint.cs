using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts.Taxii;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Hosting;
using ThreatGraph.GraphApi.Ingest;
using ThreatGraph.GraphApi.Rest;
using ThreatGraph.Stix;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>TAXII add objects (POST an envelope; the route needs the ingest policy): ingested like a bundle, answered
/// with a status resource that only the caller's organisation may read back.</summary>
static class TaxiiAddObjectsEndpoint
{
    internal static async Task<IResult> PostObjectsAsync(string root, string collection, HttpContext http, IGrainFactory grains,
        BundleIngestService ingest, IOptions<ApiOptions> api, AuditTrail audit, TimeProvider clock)
    {
        if (TaxiiEndpoints.Missing(root, collection) is { } missing)
        {
            return missing;
        }
        var caller = CallerContext.Current;
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
        return TaxiiResults.Json(w => TaxiiStatusEndpoints.WriteStatus(w, status), StatusCodes.Status202Accepted);
    }
}
