using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.Hosting;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>TAXII discovery (<c>/taxii2/</c>) and the API root resource.</summary>
static class TaxiiDiscoveryEndpoints
{
    static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/taxii2/";

    internal static IResult Discovery(HttpRequest request, IOptions<TaxiiOptions> options) => TaxiiResults.Json(w =>
    {
        var root = BaseUrl(request) + TaxiiEndpoints.ApiRoot + "/";
        w.WriteStartObject();
        w.WriteString("title", options.Value.Title);
        w.WriteString("description", "STIX 2.1 threat intelligence of the ThreatGraph community, filtered by TLP 2.0 for the caller.");
        w.WriteString("default", root);
        w.WriteStartArray("api_roots");
        w.WriteStringValue(root);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    internal static IResult ApiRootInfo(string root, IOptions<TaxiiOptions> options, IOptions<ApiOptions> api) =>
        TaxiiEndpoints.Missing(root) ?? TaxiiResults.Json(w =>
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
