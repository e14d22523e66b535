using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>A cluster: a connected component of the correlation graph (objects linked through shared observables and
/// linking relationships).</summary>
public sealed class ClusterGraphType : ObjectGraphType<ClusterView>
{
    public ClusterGraphType()
    {
        Name = "Cluster";
        Description = "Objects linked through shared observables and linking relationships (see the README's edge weights). "
            + "A merged-away cluster id forwards to the cluster that absorbed it.";
        Field<NonNullGraphType<StringGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IntGraphType>>("size").Description("Number of member objects.").Resolve(c => c.Source.Size);
        Field<NonNullGraphType<StringGraphType>>("severity").Description("The highest NCISS level (BASELINE, LOW, MEDIUM, HIGH, SEVERE, EMERGENCY) of the incidents you may see in the cluster; NONE without any.")
            .Resolve(c => c.Source.Severity);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StixObjectInterface>>>>("campaigns")
            .ResolveAsync(async c => await LoadAsync(c, c.Source.Campaigns));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StixObjectInterface>>>>("actors").Description("Intrusion sets and threat actors.")
            .ResolveAsync(async c => await LoadAsync(c, c.Source.Actors));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StixObjectInterface>>>>("incidents")
            .ResolveAsync(async c => await LoadAsync(c, c.Source.Incidents));
        Field<StringGraphType>("firstSeen").Description("Earliest first_seen (or created) of the cluster's campaigns, actors and incidents.")
            .ResolveAsync(async c => (await SeenAsync(c)).First);
        Field<StringGraphType>("lastSeen").Description("Latest last_seen (or modified) of the cluster's campaigns, actors and incidents.")
            .ResolveAsync(async c => (await SeenAsync(c)).Last);
        Field<NonNullGraphType<ConnectionType<StixObjectInterface, EdgeType<StixObjectInterface>>>>("members")
            .Description("Member objects, ordered by id.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await MembersAsync(c));
    }

    static async Task<List<StixNode>> LoadAsync(IResolveFieldContext c, IEnumerable<string> ids)
    {
        var loader = CommonFields.Loader(c);
        var nodes = await Task.WhenAll(ids.Select(id => loader.LoadNowAsync(id, c.CancellationToken)));
        return [.. nodes.OfType<StixNode>()];
    }

    static async Task<(string? First, string? Last)> SeenAsync(IResolveFieldContext<ClusterView> c)
    {
        var nodes = await LoadAsync(c, c.Source.Campaigns.Concat(c.Source.Actors).Concat(c.Source.Incidents));
        var first = nodes.Select(n => n.String("first_seen") ?? n.String("created")).OfType<string>().Order(StringComparer.Ordinal).FirstOrDefault();
        var last = nodes.Select(n => n.String("last_seen") ?? n.String("modified")).OfType<string>().Order(StringComparer.Ordinal).LastOrDefault();
        return (first, last);
    }

    static async Task<object?> MembersAsync(IResolveFieldContext<ClusterView> c)
    {
        var first = Arguments.Range(c, "first", 0, CommonFields.MaxPageSize);
        var skip = Cursor.After(c.GetArgument<string?>("after"));
        // The view holds every member the caller may see (VisibleClusterAsync); page it here.
        var nodes = await LoadAsync(c, c.Source.Members.Skip(skip).Take(first));
        return Connections.FromOffset(nodes, skip, c.Source.Size);
    }
}
