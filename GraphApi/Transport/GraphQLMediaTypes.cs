using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>Media types of GraphQL-over-HTTP and the Accept negotiation between them.</summary>
internal static class GraphQLMediaTypes
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    /// <summary>
    /// Picks the response media type from the request's Accept header: the acceptable candidate with the highest
    /// quality (each candidate's quality comes from its most specific matching Accept entry; ties go to
    /// <see cref="GraphQLResponseJson"/> when the client names it). A client that names neither — no Accept header, an
    /// unparseable one, or only wildcards (<c>*/*</c>, <c>application/*</c>) — gets <see cref="Json"/>: such clients
    /// predate <see cref="GraphQLResponseJson"/> and expect a 200 for every well-formed request, which the
    /// GraphQL-over-HTTP specification's legacy rules advise serving them. Returns null when neither candidate is
    /// acceptable (→ 406).
    /// </summary>
    public static string? Negotiate(HttpRequest request)
    {
        var raw = request.Headers.Accept;
        if (raw.Count == 0 || !MediaTypeHeaderValue.TryParseList(raw, out var accepts) || accepts.Count == 0)
        {
            return Json;
        }

        var (preferred, named) = Quality(accepts, "graphql-response+json");
        var (legacy, _) = Quality(accepts, "json");
        if (preferred <= 0 && legacy <= 0)
        {
            return null;
        }

        return preferred > legacy || (preferred == legacy && named) ? GraphQLResponseJson : Json;
    }

    /// <returns>The quality of <c>application/<paramref name="subType"/></c>, and whether an entry names it (not a wildcard).</returns>
    private static (double Quality, bool Named) Quality(IList<MediaTypeHeaderValue> accepts, string subType)
    {
        var bestSpecificity = 0;
        var quality = 0d;
        foreach (var accept in accepts)
        {
            var type = accept.Type.Value ?? "";
            var sub = accept.SubType.Value ?? "";
            int specificity;
            if (type == "*" && sub == "*")
            {
                specificity = 1;
            }
            else if (string.Equals(type, "application", StringComparison.OrdinalIgnoreCase) && sub == "*")
            {
                specificity = 2;
            }
            else if (string.Equals(type, "application", StringComparison.OrdinalIgnoreCase)
                && string.Equals(sub, subType, StringComparison.OrdinalIgnoreCase))
            {
                specificity = 3;
            }
            else
            {
                continue;
            }

            var q = accept.Quality ?? 1d;
            if (specificity > bestSpecificity || (specificity == bestSpecificity && q > quality))
            {
                bestSpecificity = specificity;
                quality = q;
            }
        }

        return (quality, bestSpecificity == 3);
    }
}
