using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>Reading TAXII objects: the collection's objects, and one object's versions as an envelope.</summary>
static class TaxiiObjectEndpoints
{
    internal static async Task<IResult> GetObjectsAsync(string root, string collection, HttpContext http, TaxiiReader reader,
        IOptions<TaxiiOptions> options, AuditTrail audit)
    {
        var (filter, refusal) = TaxiiEndpoints.Read(root, collection, http.Request, options.Value, reader);
        if (filter is null)
        {
            return refusal!;
        }
        var page = await reader.ReadAsync(collection, filter, withContent: true, http.RequestAborted);
        audit.Record(CallerContext.Current, "taxii GET objects", false, page.Items.Select(i => i.Entry.Id).Distinct(), $"{page.Items.Count} objects");
        return TaxiiPages.Envelope(page);
    }

    internal static async Task<IResult> GetObjectAsync(string root, string collection, string id, HttpContext http, TaxiiReader reader,
        IOptions<TaxiiOptions> options, AuditTrail audit)
    {
        var (filter, refusal) = TaxiiEndpoints.Read(root, collection, http.Request, options.Value, reader);
        if (filter is null)
        {
            return refusal!;
        }
        // Invisible and unknown are the same answer.
        if (!await reader.IsKnownAndVisibleAsync(collection, id))
        {
            audit.Record(CallerContext.Current, "taxii GET object", false, [], "not found");
            return TaxiiResults.NotFound($"no object '{id}' in this collection");
        }
        var page = await reader.ReadAsync(collection, filter with { Ids = [id] }, withContent: true, http.RequestAborted);
        audit.Record(CallerContext.Current, "taxii GET object", false, [id], $"{page.Items.Count} versions");
        return TaxiiPages.Envelope(page);
    }
}
