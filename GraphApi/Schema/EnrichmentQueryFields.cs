using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.GraphApi.Security;

namespace ThreatGraph.GraphApi.Schema;

/// <summary><c>enrichmentJobs</c>: the enrichment jobs of the caller's organisation and how they are doing.</summary>
public static class EnrichmentQueryFields
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EnrichmentJobGraphType>>>>("enrichmentJobs")
            .Description("Your organisation's enrichment jobs (README \"Enrichment jobs\"): last run, objects processed and failed, lag.")
            .ResolveAsync(async c =>
            {
                var caller = CallerContext.Current;
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var names = await grains.GetGrain<IEnrichmentJobRegistryGrain>(EnrichmentJobs.RegistryKey).ListAsync();
                var jobs = await Task.WhenAll(names.Select(n => grains.GetGrain<IEnrichmentJobGrain>(n).GetStatusAsync()));
                return jobs.OfType<EnrichmentJobStatus>().Where(j => EnrichmentAccess.MaySee(caller, j)).ToList();
            });
}
