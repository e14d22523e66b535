using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts.Index;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>Correlation fields of the Query type: linkedCampaigns, shortestPath, cluster, campaigns.</summary>
public static class CorrelationQueryFields
{
    public const int MaxLinkDepth = 12;
    public const int MaxPathDepth = 8;
    public const int MaxTraversalNodes = 20_000;

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<LinkedCampaignsGraphType>("linkedCampaigns")
            .Description("Campaigns linked to a campaign (through shared observables and linking relationships), each with its strongest "
                + "evidence path and a link strength; null when the campaign is unknown. partial=true when a limit cut the search short.")
            .Argument<NonNullGraphType<IdGraphType>>("campaignId")
            .Argument<IntGraphType>("maxDepth", a => a.DefaultValue = 6)
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .ResolveAsync(async c =>
            {
                var id = Arguments.StixId(c, "campaignId");
                var depth = Arguments.Range(c, "maxDepth", 1, MaxLinkDepth);
                var first = Arguments.Range(c, "first", 0, CommonFields.MaxPageSize);
                // The campaign's view and the search run together (one round trip, not two); an id the caller may
                // not see answers null like an unknown one, after the same work.
                var view = CommonFields.Loader(c).LoadNowAsync(id, c.CancellationToken);
                var linked = Grains(c).GetGrain<ICorrelationQueryGrain>(0).LinkedCampaignsAsync(id, depth, MaxTraversalNodes, first);
                await Task.WhenAll(view, linked);
                return await view is null ? null : await linked;
            });

        query.Field<NonNullGraphType<PathGraphType>>("shortestPath")
            .Description("A shortest path (fewest hops, either direction) between two objects over the given edge kinds (all when omitted).")
            .Argument<NonNullGraphType<IdGraphType>>("from")
            .Argument<NonNullGraphType<IdGraphType>>("to")
            .Argument<IntGraphType>("maxDepth", a => a.DefaultValue = 6)
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("edgeTypes")
            .ResolveAsync(async c =>
            {
                var (from, to) = (Arguments.StixId(c, "from"), Arguments.StixId(c, "to"));
                var depth = Arguments.Range(c, "maxDepth", 1, MaxPathDepth);
                var kinds = c.GetArgument<List<string>?>("edgeTypes");
                return await Grains(c).GetGrain<ICorrelationQueryGrain>(0).ShortestPathAsync(from, to, depth, kinds is { Count: > 0 } ? kinds : null, MaxTraversalNodes);
            });

        query.Field<ClusterGraphType>("cluster")
            .Description("A cluster by cluster id (merged-away ids forward) or by the id of any object in it; null when correlation has not seen it.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await VisibleClusterAsync(c, c.GetArgument<string>("id")));

        query.Field<NonNullGraphType<ConnectionType<StixObjectInterface, EdgeType<StixObjectInterface>>>>("campaigns")
            .Description("Campaigns in id order, filtered by text (as in `search`), cluster, being linked to another campaign, or a sector they target.")
            .Argument<CampaignFilterInputGraphType>("filter")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await CampaignsAsync(c));
    }

    static IGrainFactory Grains(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IGrainFactory>();

    /// <summary>The cluster as the caller sees it (only visible links), by a member's id or by a cluster id; null when the
    /// caller may see no member of it. A member's cluster ids name a member it sees (<see cref="ClusterIds"/>); the
    /// system's own ids resolve for system callers only.</summary>
    public static async Task<ClusterView?> VisibleClusterAsync(IResolveFieldContext c, string id)
    {
        var caller = ThreatGraph.GraphApi.Security.ThreatGraphClaims.Caller(c.User);
        var anchor = id;
        if (id.StartsWith(ClusterIds.Prefix, StringComparison.Ordinal))
        {
            if (ClusterIds.MemberOf(id) is { } member)
            {
                anchor = member;
            }
            else
            {
                return caller.IsSystem ? await Registry(c).GetClusterAsync(id, 0, MaxTraversalNodes) : null;
            }
        }
        if (await CommonFields.Loader(c).LoadNowAsync(anchor, c.CancellationToken) is null)
        {
            return null;
        }
        return await Grains(c).GetGrain<ICorrelationQueryGrain>(0).ClusterAsync(anchor, MaxTraversalNodes);
    }

    static ICorrelationGrain Registry(IResolveFieldContext c) =>
        Grains(c).GetGrain<ICorrelationGrain>(0);

    /// <summary>Cluster views in flight at once for <c>campaigns(filter)</c>. The correlation query grain is a stateless
    /// worker: one key serves a call per activation (about one per core), so the calls are spread over this many keys.</summary>
    public const int MaxClusterCallsInFlight = 8;

    static async Task<object?> CampaignsAsync(IResolveFieldContext c)
    {
        var filter = c.GetArgument<CampaignFilter?>("filter") ?? new CampaignFilter();
        var first = Arguments.Range(c, "first", 0, CommonFields.MaxPageSize);
        var after = IndexCursor.After(c.GetArgument<string?>("after"));
        var index = Grains(c).GetGrain<ISearchIndexGrain>(0);
        var includeRevoked = filter.IncludeRevoked ?? false;
        var sector = filter.Sector is null ? null : TargetedSectors.Argument(filter.Sector);
        if (filter.LinkedOnly != true && filter.ClusterId is null && sector is null)
        {
            return await ThreatGraphQuery.IndexConnectionAsync(c,
                await index.SearchAsync(new IndexQuery(["campaign"], filter.Text, includeRevoked, after, first)));
        }
        // Clusters as the caller sees them: a campaign is "linked" only through links the caller may see.
        var all = (await index.SearchAsync(new IndexQuery(["campaign"], filter.Text, includeRevoked, null, int.MaxValue))).Ids;
        var views = filter.LinkedOnly == true || filter.ClusterId is not null ? await ClusterViewsAsync(c, all) : [];
        IEnumerable<string> ids = all;
        if (filter.LinkedOnly == true)
        {
            ids = ids.Where(id => views.GetValueOrDefault(id)?.Campaigns.Count > 1);
        }
        if (filter.ClusterId is not null)
        {
            var live = (await VisibleClusterAsync(c, filter.ClusterId))?.Id;
            ids = ids.Where(id => live is not null && views.GetValueOrDefault(id)?.Id == live);
        }
        if (sector is not null)
        {
            ids = await TargetingAsync(c, ids.ToList(), sector);
        }
        var matching = ids.ToList(); // still in index order
        var before = after is null ? 0 : matching.Count(id => IndexOrder.Instance.Compare(id, after) <= 0);
        var page = matching.Skip(before).Take(first).ToList();
        return await ThreatGraphQuery.IndexConnectionAsync(c, new IndexPage(page, matching.Count, before, matching.Count - before > page.Count));
    }

    /// <summary>The campaigns (in the given order) that target the sector as the caller sees them, read
    /// <see cref="MaxClusterCallsInFlight"/> at a time.</summary>
    static async Task<List<string>> TargetingAsync(IResolveFieldContext c, List<string> campaigns, string sector)
    {
        var keep = new bool[campaigns.Count];
        for (var start = 0; start < campaigns.Count; start += MaxClusterCallsInFlight)
        {
            var wave = campaigns.Skip(start).Take(MaxClusterCallsInFlight).ToList();
            var sectors = await Task.WhenAll(wave.Select(id => TargetedSectors.OfAsync(c, id)));
            for (var i = 0; i < wave.Count; i++)
            {
                keep[start + i] = sectors[i].Contains(sector, StringComparer.Ordinal);
            }
        }
        return [.. campaigns.Where((_, i) => keep[i])];
    }

    /// <summary>The caller's cluster view of each campaign, in waves of <see cref="MaxClusterCallsInFlight"/> parallel
    /// calls; a campaign already seen as a member of an answered view is not asked again.</summary>
    static async Task<Dictionary<string, ClusterView?>> ClusterViewsAsync(IResolveFieldContext c, IReadOnlyList<string> campaigns)
    {
        var views = new Dictionary<string, ClusterView?>(StringComparer.Ordinal);
        var next = 0;
        while (true)
        {
            var wave = new List<string>(MaxClusterCallsInFlight);
            for (; next < campaigns.Count && wave.Count < MaxClusterCallsInFlight; next++)
            {
                if (!views.ContainsKey(campaigns[next]))
                {
                    wave.Add(campaigns[next]);
                }
            }
            if (wave.Count == 0)
            {
                return views;
            }
            var answers = await Task.WhenAll(wave.Select((id, i) =>
                Grains(c).GetGrain<ICorrelationQueryGrain>(i).ClusterAsync(id, MaxTraversalNodes)));
            for (var i = 0; i < wave.Count; i++)
            {
                views[wave[i]] = answers[i];
                foreach (var member in answers[i]?.Campaigns ?? [])
                {
                    views.TryAdd(member, answers[i]);
                }
            }
        }
    }
}
