using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.Stix;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// The objects endpoint of a scripted TAXII 2.1 server: <c>added_after</c> (exclusive), <c>limit</c>, entries in
/// date_added order, the <c>more</c> flag and the X-TAXII-Date-Added-First/Last headers. Pages by added_after only
/// (no <c>next</c>) unless asked, as many servers do, so equal date_added values can straddle a page boundary.
/// </summary>
public static class TaxiiPage
{
    public const string MediaType = "application/taxii+json;version=2.1";

    /// <param name="withNext">Page with the envelope's <c>next</c> as well (the TAXII 2.1 way for servers that have it).</param>
    public static HttpResponseMessage Answer(IReadOnlyList<(JsonObject Object, DateTimeOffset DateAdded)> entries, IDictionary<string, StringValues> query,
        bool withNext = false)
    {
        var after = query.TryGetValue("added_after", out var a) && StixTimestamp.TryParse(a.ToString(), out var t) ? t : (DateTimeOffset?)null;
        var limit = query.TryGetValue("limit", out var l) && int.TryParse(l, out var n) ? n : 100;
        var matching = entries.Where(e => after is null || e.DateAdded > after).OrderBy(e => e.DateAdded).ToList(); // stable: ties keep their order
        // With paging by next, next is the offset into what matches (a server's own cursor; ties do not matter).
        var offset = withNext && query.TryGetValue("next", out var nx) && int.TryParse(nx, out var o) ? o : 0;
        var page = matching.Skip(offset).Take(limit).ToList();
        var more = matching.Count > offset + page.Count;
        var envelope = new JsonObject { ["more"] = more };
        if (withNext && more)
        {
            envelope["next"] = (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (page.Count > 0)
        {
            envelope["objects"] = new JsonArray([.. page.Select(e => (JsonNode)e.Object.DeepClone())]);
        }
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(envelope.ToJsonString(), Encoding.UTF8) };
        response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(MediaType);
        if (page.Count > 0)
        {
            response.Headers.Add("X-TAXII-Date-Added-First", TaxiiTimestamp.Format(page[0].DateAdded));
            response.Headers.Add("X-TAXII-Date-Added-Last", TaxiiTimestamp.Format(page[^1].DateAdded));
        }
        return response;
    }
}
