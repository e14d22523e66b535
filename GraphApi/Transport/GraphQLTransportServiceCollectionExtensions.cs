using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>Registers the GraphQL transports (not the schema: that stays with <c>AddGraphQL</c>).</summary>
public static class GraphQLTransportServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GraphQLTransportOptions"/> (validated at start-up), the routing policy that lets
    /// <see cref="GraphQLHttpEndpoint.MapGraphQLHttp"/> and <see cref="GraphQLWebSocketEndpoint.MapGraphQLWebSocket"/>
    /// share a path, and <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is already registered.
    /// </summary>
    public static IServiceCollection AddGraphQLTransport(this IServiceCollection services, Action<GraphQLTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GraphQLTransportOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.MaxRequestBytes > 0, "GraphQLTransportOptions.MaxRequestBytes must be greater than 0.")
            .Validate(o => o.MaxWebSocketMessageBytes > 0, "GraphQLTransportOptions.MaxWebSocketMessageBytes must be greater than 0.")
            .Validate(o => o.SendQueueCapacity > 0, "GraphQLTransportOptions.SendQueueCapacity must be greater than 0.")
            .Validate(o => o.ConnectionInitWaitTimeout > TimeSpan.Zero, "GraphQLTransportOptions.ConnectionInitWaitTimeout must be positive.")
            .Validate(o => o.CloseTimeout > TimeSpan.Zero, "GraphQLTransportOptions.CloseTimeout must be positive.")
            .Validate(o => o.OnConnectionInit is not null, "GraphQLTransportOptions.OnConnectionInit must not be null.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GraphQLWebSocketMatcherPolicy>());
        return services;
    }
}
