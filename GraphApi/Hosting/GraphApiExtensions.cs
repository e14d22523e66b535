using GraphQL;
using GraphQL.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.DataLoaders;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.GraphApi.Ingest;
using ThreatGraph.GraphApi.Rest;
using ThreatGraph.GraphApi.Schema;
using ThreatGraph.GraphApi.Security;
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
        services.AddThreatGraphIngest(configuration);
        services.AddSingleton<Subscriptions.SharedClusterViews>();
        services.AddSingleton(sp => new StreamWatches(sp.GetRequiredService<IGrainFactory>(), sp.GetService<TimeProvider>(), sp.GetService<ILogger<StreamWatches>>()));
        Taxii.TaxiiEndpoints.AddThreatGraphTaxii(services, configuration);
        services.AddThreatGraphSecurity(configuration);
        services.AddOptions<CommunityOptions>().Bind(configuration.GetSection(CommunityOptions.Section));
        services.AddSingleton<AuditTrail>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditTrail>());
        services.AddSingleton(TimeProvider.System);
        services.AddThreatGraphFederation(configuration);
        var maxAliases = (configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions()).MaxAliases;
        services.AddGraphQL(b => b
            .AddSchema<ThreatGraphSchema>()
            .AddGraphTypes(typeof(ThreatGraphSchema).Assembly)
            .AddSystemTextJson()
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = api.MaxQueryDepth;
                c.MaxComplexity = api.MaxQueryComplexity;
                // Schema introspection reads the schema, not the graph: its cost is fixed by the schema's size, and
                // every GraphQL client (GraphiQL, codegen) sends the standard query, 16 levels deep. The document
                // limits of the transport still apply to it.
                c.ValidateComplexityDelegate = context =>
                {
                    if (Security.IntrospectionOnly.Is(context.ValidationContext.Operation))
                    {
                        context.Error = null;
                    }
                    return Task.CompletedTask;
                };
            })
            .AddErrorInfoProvider(o => o.ExposeExceptionDetails = api.ExposeExceptionDetails));
        services.AddGraphQLTransport(o =>
        {
            // ingestBundle carries a whole bundle as a JSON string (escaping can double its size).
            o.MaxRequestBytes = Math.Max(GraphQLTransportOptions.DefaultMaxRequestBytes, 2 * api.MaxBundleBytes + 64 * 1024);
            o.ExposeExceptionDetails = api.ExposeExceptionDetails;
            o.MaxQueryTokens = api.MaxQueryTokens;
            o.MaxSelectionDepth = api.MaxSelectionDepth;
            o.MaxFragmentSpreads = api.MaxFragmentSpreads;
            o.MaxExpandedFields = api.MaxExpandedFields;
            o.MaxFieldRepeats = api.MaxFieldRepeats;
            o.LimitSettingPrefix = ApiOptions.Section + ":";
            o.MaxExecutionTime = TimeSpan.FromSeconds(api.MaxExecutionSeconds);
            o.MaxOperationsPerConnection = api.MaxOperationsPerConnection;
            o.ConfigureExecution = (execution, http) => ConfigureExecution(execution, http, maxAliases);
            o.OnConnectionInit = WebSocketAuthentication.AuthenticateAsync;
        });
        return services;
    }

    /// <summary>Per operation, HTTP or WebSocket: the caller into RequestContext (every grain call carries it), the alias
    /// limit, and the audit record.</summary>
    static void ConfigureExecution(ExecutionOptions execution, HttpContext http, int maxAliases)
    {
        var caller = ThreatGraphClaims.Caller(execution.User);
        CallerContext.Set(caller);
        execution.ValidationRules = (execution.ValidationRules ?? DocumentValidator.CoreRules).Append(new AliasLimitValidationRule(maxAliases));
        var services = execution.RequestServices ?? http.RequestServices;
        execution.Listeners.Add(new AuditListener(services.GetRequiredService<AuditTrail>(), caller, services.GetRequiredService<NodeByIdLoader>()));
    }

    /// <summary>Maps the dashboard and GraphiQL pages, REST and GraphQL endpoints (HTTP and graphql-transport-ws on the
    /// same /graphql path).</summary>
    public static WebApplication MapThreatGraphApi(this WebApplication app)
    {
        app.UseThreatGraphClientApp();
        app.UseWebSockets();
        app.UseThreatGraphSecurity();
        app.MapGraphQLHttp().RequireAuthorization();
        app.MapGraphQLWebSocket().RequireAuthorization(AccessPolicies.Handshake);
        app.MapBundleEndpoints();
        Taxii.TaxiiEndpoints.MapTaxiiEndpoints(app);
        return app;
    }
}
