namespace ThreatGraph.GraphApi.Transport;

/// <summary>Marks the graphql-transport-ws endpoint so <see cref="GraphQLWebSocketMatcherPolicy"/> can tell it from the HTTP one.</summary>
internal sealed class GraphQLWebSocketEndpointMetadata
{
    public static readonly GraphQLWebSocketEndpointMetadata Instance = new();

    private GraphQLWebSocketEndpointMetadata()
    {
    }
}
