using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>TAXII versions of one object: the version strings the caller may see.</summary>
static class TaxiiVersionEndpoints
{
    internal static async Task<IResult> GetVersionsAsync(string root, string collection, string id, HttpContext http, TaxiiReader reader,
        IOptions<TaxiiOptions> options)
    {
        var (filter, refusal) = TaxiiEndpoints.Read(root, collection, http.Request, options.Value, reader);
        if (filter is null)
        {
            return refusal!;
        }
        if (!await reader.IsKnownAndVisibleAsync(collection, id))
        {
            return TaxiiResults.NotFound($"no object '{id}' in this collection");
        }
        var page = await reader.ReadAsync(collection, filter with { Ids = [id], Versions = ["all"] }, withContent: false, http.RequestAborted);
        return TaxiiPages.Json(page, "versions", (w, entry, _) => w.WriteStringValue(entry.Version));
    }
}
