using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>TAXII manifest: id, date added, version and media type of each object version the caller may see.</summary>
static class TaxiiManifestEndpoints
{
    internal static async Task<IResult> GetManifestAsync(string root, string collection, HttpContext http, TaxiiReader reader,
        IOptions<TaxiiOptions> options)
    {
        var (filter, refusal) = TaxiiEndpoints.Read(root, collection, http.Request, options.Value, reader);
        if (filter is null)
        {
            return refusal!;
        }
        var page = await reader.ReadAsync(collection, filter, withContent: false, http.RequestAborted);
        return TaxiiPages.Json(page, "objects", (w, e, _) =>
        {
            w.WriteStartObject();
            w.WriteString("id", e.Id);
            w.WriteString("date_added", TaxiiTimestamp.Format(e.DateAdded));
            w.WriteString("version", e.Version);
            w.WriteString("media_type", "application/stix+json;version=" + (e.SpecVersion ?? "2.1"));
            w.WriteEndObject();
        });
    }
}
