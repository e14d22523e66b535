using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ThreatGraph.GraphApi.Taxii;

public static class TaxiiMediaTypes
{
    public const string Taxii = "application/taxii+json;version=2.1";
    public const string Stix = "application/stix+json;version=2.1";

    /// <summary>Whether the request's Accept allows a TAXII 2.1 answer (no Accept at all does).</summary>
    public static bool Accepts(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return true;
        }
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }
        return types.Any(t => t.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase)
                              || t.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
                              || (t.MediaType.Equals("application/taxii+json", StringComparison.OrdinalIgnoreCase) && IsVersion21(t)));
    }

    /// <summary>A POST body must be a TAXII 2.1 envelope.</summary>
    public static bool IsTaxiiContent(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var t)
        && t.MediaType.Equals("application/taxii+json", StringComparison.OrdinalIgnoreCase) && IsVersion21(t);

    static bool IsVersion21(MediaTypeHeaderValue t)
    {
        var version = t.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase));
        return version is null || version.Value.Equals("2.1", StringComparison.Ordinal);
    }
}
