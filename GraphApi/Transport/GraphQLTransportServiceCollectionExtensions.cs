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
            .Validate(o => o.MaxQueryTokens > 0, "GraphQLTransportOptions.MaxQueryTokens must be greater than 0.")
            .Validate(o => o.MaxSelectionDepth > 0, "GraphQLTransportOptions.MaxSelectionDepth must be greater than 0.")
            .Validate(o => o.MaxFragmentSpreads >= 0, "GraphQLTransportOptions.MaxFragmentSpreads must not be negative.")
            .Validate(o => o.MaxExpandedFields > 0, "GraphQLTransportOptions.MaxExpandedFields must be greater than 0.")
            .Validate(o => o.MaxFieldRepeats > 0, "GraphQLTransportOptions.MaxFieldRepeats must be greater than 0.")
            .Validate(o => o.LimitSettingPrefix is not null, "GraphQLTransportOptions.LimitSettingPrefix must not be null.")
            .Validate(o => o.MaxExecutionTime > TimeSpan.Zero || o.MaxExecutionTime == Timeout.InfiniteTimeSpan,
                "GraphQLTransportOptions.MaxExecutionTime must be positive (or Timeout.InfiniteTimeSpan).")
            .Validate(o => o.MaxOperationsPerConnection > 0, "GraphQLTransportOptions.MaxOperationsPerConnection must be greater than 0.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ValidatedDocuments>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GraphQLWebSocketMatcherPolicy>());
        return services;
    }
}
