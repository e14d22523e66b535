using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>
/// Lets the HTTP and WebSocket GraphQL endpoints share one route pattern: when both match, a WebSocket upgrade
/// request keeps only the WebSocket endpoint and every other request keeps only the HTTP one.
/// </summary>
internal sealed class GraphQLWebSocketMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
        => endpoints.Any(IsWebSocketEndpoint);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        bool anyWebSocket = false, anyOther = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            if (IsWebSocketEndpoint(candidates[i].Endpoint))
            {
                anyWebSocket = true;
            }
            else
            {
                anyOther = true;
            }
        }

        if (!anyWebSocket || !anyOther)
        {
            return Task.CompletedTask;
        }

        var upgrade = WebSocketRequests.IsUpgrade(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && IsWebSocketEndpoint(candidates[i].Endpoint) != upgrade)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsWebSocketEndpoint(Endpoint endpoint)
        => endpoint.Metadata.GetMetadata<GraphQLWebSocketEndpointMetadata>() is not null;
}
