using GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.GraphApi.DataLoaders;
using ThreatGraph.GraphApi.Ingest;
using ThreatGraph.GraphApi.Rest;
using ThreatGraph.GraphApi.Schema;
using ThreatGraph.GraphApi.Transport;

namespace ThreatGraph.GraphApi.Hosting;

public static class GraphApiExtensions
{
    /// <summary>The gateway's services: GraphQL schema and limits, loaders, ingest. Needs an IGrainFactory (co-hosted silo or client).</summary>
    public static IServiceCollection AddThreatGraphApi(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ApiOptions.Section);
        services.AddOptions<ApiOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var api = section.Get<ApiOptions>() ?? new ApiOptions();

        services.AddScoped<NodeByIdLoader>();
        services.AddSingleton<BundleIngestService>();
        services.AddGraphQL(b => b
            .AddSchema<ThreatGraphSchema>()
            .AddGraphTypes(typeof(ThreatGraphSchema).Assembly)
            .AddSystemTextJson()
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = api.MaxQueryDepth;
                c.MaxComplexity = api.MaxQueryComplexity;
            })
            .AddErrorInfoProvider(o => o.ExposeExceptionDetails = api.ExposeExceptionDetails));
        services.AddGraphQLTransport(o =>
        {
            // ingestBundle carries a whole bundle as a JSON string (escaping can double its size).
            o.MaxRequestBytes = Math.Max(GraphQLTransportOptions.DefaultMaxRequestBytes, 2 * api.MaxBundleBytes + 64 * 1024);
            o.ExposeExceptionDetails = api.ExposeExceptionDetails;
        });
        return services;
    }

    /// <summary>Maps REST and GraphQL endpoints (HTTP and graphql-transport-ws on the same /graphql path).</summary>
    public static WebApplication MapThreatGraphApi(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapGraphQLHttp();
        app.MapGraphQLWebSocket();
        app.MapBundleEndpoints();
        return app;
    }
}
