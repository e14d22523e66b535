using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.GraphApi.Security;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>
/// TAXII 2.1 under <c>/taxii2/</c>: discovery, one API root (<c>threatgraph</c>), one collection holding everything
/// ingested, objects (GET/POST), objects/{id}, versions, manifest and status, one file per resource. Every path needs
/// an admitted caller and adding objects the <see cref="Roles.Ingest"/> policy (<see cref="AccessPolicies"/>; refusals
/// as TAXII error resources); every answer is filtered by the access policy through the node grains (see <see cref="TaxiiReader"/>).
/// </summary>
public static class TaxiiEndpoints
{
    public const string ApiRoot = "threatgraph";

    public static IServiceCollection AddThreatGraphTaxii(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TaxiiOptions>().Bind(configuration.GetSection(TaxiiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TaxiiReader>();
        return services;
    }

    public static IEndpointRouteBuilder MapTaxiiEndpoints(this IEndpointRouteBuilder app)
    {
        var taxii = app.MapGroup("/taxii2").RequireAuthorization().AddEndpointFilter(NegotiateAsync);
        taxii.MapGet("/", TaxiiDiscoveryEndpoints.Discovery);
        taxii.MapGet("/{root}/", TaxiiDiscoveryEndpoints.ApiRootInfo);
        taxii.MapGet("/{root}/collections/", TaxiiCollectionEndpoints.CollectionsAsync);
        taxii.MapGet("/{root}/collections/{collection}/", TaxiiCollectionEndpoints.CollectionAsync);
        taxii.MapGet("/{root}/collections/{collection}/objects/", TaxiiObjectEndpoints.GetObjectsAsync);
        taxii.MapPost("/{root}/collections/{collection}/objects/", TaxiiAddObjectsEndpoint.PostObjectsAsync).RequireAuthorization(Roles.Ingest);
        taxii.MapGet("/{root}/collections/{collection}/objects/{id}/", TaxiiObjectEndpoints.GetObjectAsync);
        taxii.MapGet("/{root}/collections/{collection}/objects/{id}/versions/", TaxiiVersionEndpoints.GetVersionsAsync);
        taxii.MapGet("/{root}/collections/{collection}/manifest/", TaxiiManifestEndpoints.GetManifestAsync);
        taxii.MapGet("/{root}/status/{status}/", TaxiiStatusEndpoints.GetStatusAsync);
        return app;
    }

    /// <summary>Accept negotiation: every TAXII answer is <see cref="TaxiiMediaTypes.Taxii"/>.</summary>
    static async ValueTask<object?> NegotiateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!TaxiiMediaTypes.Accepts(http.Request))
        {
            return TaxiiResults.Error(StatusCodes.Status406NotAcceptable, "Not Acceptable",
                $"this server answers {TaxiiMediaTypes.Taxii}; the request accepts only {http.Request.Headers.Accept}");
        }
        return await next(context);
    }

    /// <summary>Null when the API root and collection exist; else the 404.</summary>
    internal static IResult? Missing(string root, string? collection = null) =>
        root != ApiRoot ? TaxiiResults.NotFound($"no API root '{root}'")
        : collection is not null && collection != Contracts.Taxii.TaxiiCollections.DefaultId ? TaxiiResults.NotFound($"no collection '{collection}'")
        : null;

    /// <summary>The filter of a request on the collection's contents, or the 404 or 400 that answers it instead.</summary>
    internal static (TaxiiFilter? Filter, IResult? Refusal) Read(string root, string collection, HttpRequest request, TaxiiOptions options, TaxiiReader reader)
    {
        if (Missing(root, collection) is { } missing)
        {
            return (null, missing);
        }
        var (filter, error) = TaxiiFilter.Parse(request.Query, options, reader.Partitions);
        return filter is null ? (null, TaxiiResults.BadRequest(error!)) : (filter, null);
    }
}
