using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>Correlation fields added to object types (Observable, Campaign).</summary>
public static class CorrelationFields
{
    public static void AddExclusion(ObjectGraphType<StixNode> t) =>
        t.Field<StringGraphType>("excludedFromCorrelation")
            .Description("Why this observable does not link clusters (a MISP warninglist entry, or more linking edges than the degree cap); "
                + "null when it links.")
            .ResolveAsync(async c =>
            {
                var reasons = await Registry(c.RequestServices!).GetExclusionsAsync([c.Source.Id]);
                return reasons.GetValueOrDefault(c.Source.Id);
            });

    public static void AddCluster(ObjectGraphType<StixNode> t) =>
        t.Field<ClusterGraphType>("cluster")
            .Description("The correlation cluster this object belongs to; null when it has no linking edge.")
            .ResolveAsync(async c => await CorrelationQueryFields.VisibleClusterAsync(c, c.Source.Id));

    static ICorrelationGrain Registry(IServiceProvider services) =>
        services.GetRequiredService<IGrainFactory>().GetGrain<ICorrelationGrain>(0);
}
