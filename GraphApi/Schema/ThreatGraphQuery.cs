using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Index;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.GraphApi.Schema;

public sealed class ThreatGraphQuery : ObjectGraphType
{
    public const int MaxDepth = 4;
    public const int MaxNeighborhoodNodes = 5_000;

    public ThreatGraphQuery()
    {
        Name = "Query";

        Field<StixObjectInterface>("object")
            .Description("One object by STIX id; null when unknown. Revoked objects only with includeRevoked.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<BooleanGraphType>("includeRevoked", a => a.DefaultValue = false)
            .ResolveAsync(async c =>
            {
                var node = await CommonFields.Loader(c).LoadNowAsync(await Aliases.CanonicalAsync(c, Arguments.StixId(c)), c.CancellationToken);
                return node is null || (node.View.Revoked && !c.GetArgument<bool>("includeRevoked")) ? null : node;
            });

        Field<NonNullGraphType<ConnectionType<StixObjectInterface, EdgeType<StixObjectInterface>>>>("search")
            .Description("Objects of the given types (all when omitted) whose id or name contains `text` (case-insensitive), or with "
                + "an external id or alias equal to it (case-insensitive: ATT&CK ids such as T0885, CVE ids, aliases, x_mitre_aliases); "
                + "names and keys only of reports the caller may see. Ordered by type, then id; cursors are positions in that order. "
                + "activeOnly: leave out indicators that expired (valid_until) or decayed below Lifecycle:ActiveThreshold.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("types")
            .Argument<StringGraphType>("text")
            .Argument<BooleanGraphType>("includeRevoked", a => a.DefaultValue = false)
            .Argument<BooleanGraphType>("activeOnly", a => a.DefaultValue = false)
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await SearchAsync(c));

        Field<NeighborhoodGraphType>("neighborhood")
            .Description("Nodes within `depth` hops of `id` (and the edges among them), by a level-by-level traversal; partial=true when `limit` cut it short.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<IntGraphType>("depth", a => a.DefaultValue = 2)
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("edgeTypes")
            .Argument<IntGraphType>("limit", a => a.DefaultValue = 200)
            .ResolveAsync(async c =>
            {
                var id = Arguments.StixId(c);
                var depth = Arguments.Range(c, "depth", 1, MaxDepth);
                var limit = Arguments.Range(c, "limit", 1, MaxNeighborhoodNodes);
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                // Edges are most of a large neighbourhood's bytes: fetched only when the query selects them.
                var includeEdges = c.SubFields is not { } selected || selected.Values.Any(f => f.Field.Name.Value == "edges");
                var subgraph = await grains.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(
                    new NeighborhoodRequest(id, depth, c.GetArgument<List<string>?>("edgeTypes"), limit, includeEdges));
                // An unknown center and one the caller may not see both come back without nodes: null, alike.
                return subgraph.Distances.Count == 0 ? null : new NeighborhoodResult(id, subgraph);
            });

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TypeCountGraphType>>>>("typeCounts")
            .Description("How many objects of each STIX type the graph holds (placeholders not counted).")
            .Argument<BooleanGraphType>("includeRevoked", a => a.DefaultValue = false)
            .ResolveAsync(async c =>
            {
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var counts = await grains.GetGrain<ISearchIndexGrain>(0).TypeCountsAsync(c.GetArgument<bool>("includeRevoked"));
                return counts.Select(x => new TypeCount(x.Type, x.Count)).ToList();
            });

        AuditQueryFields.AddTo(this);
        CorrelationQueryFields.AddTo(this);
        FederationQueryFields.AddTo(this);
        EnrichmentQueryFields.AddTo(this);
    }

    static async Task<object?> SearchAsync(IResolveFieldContext c)
    {
        var first = Arguments.Range(c, "first", 0, CommonFields.MaxPageSize);
        var after = IndexCursor.After(c.GetArgument<string?>("after"));
        var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
        var query = new IndexQuery(Arguments.Types(c, "types"), c.GetArgument<string?>("text"), c.GetArgument<bool>("includeRevoked"), after, first);
        if (!c.GetArgument<bool>("activeOnly"))
        {
            return await IndexConnectionAsync(c, await grains.GetGrain<ISearchIndexGrain>(0).SearchAsync(query));
        }
        // Activity is the indicator's own (time-dependent) state, not the index's: every match is read, in index order.
        var all = (await grains.GetGrain<ISearchIndexGrain>(0).SearchAsync(query with { AfterId = null, Take = int.MaxValue })).Ids;
        var active = await ActiveAsync(c, all);
        var before = after is null ? 0 : active.Count(id => IndexOrder.Instance.Compare(id, after) <= 0);
        var page = active.Skip(before).Take(first).ToList();
        return await IndexConnectionAsync(c, new IndexPage(page, active.Count, before, active.Count - before > page.Count));
    }

    /// <summary>The ids (in order) that are not expired or decayed indicators, as the caller sees them.</summary>
    static async Task<List<string>> ActiveAsync(IResolveFieldContext c, IReadOnlyList<string> ids)
    {
        var loader = CommonFields.Loader(c);
        var keep = new List<string>(ids.Count);
        foreach (var chunk in ids.Chunk(256))
        {
            var nodes = await Task.WhenAll(chunk.Select(id => id.StartsWith("indicator--", StringComparison.Ordinal)
                ? loader.LoadNowAsync(id, c.CancellationToken) : Task.FromResult<StixNode?>(null)));
            keep.AddRange(chunk.Where((id, i) => !id.StartsWith("indicator--", StringComparison.Ordinal) || nodes[i]?.View.Lifecycle is { Active: true }));
        }
        return keep;
    }

    /// <summary>A connection over a page of the index (<see cref="IndexOrder"/>): each edge's cursor is its id.</summary>
    public static async Task<Connection<StixNode>> IndexConnectionAsync(IResolveFieldContext c, IndexPage page)
    {
        var loader = CommonFields.Loader(c);
        var nodes = await Task.WhenAll(page.Ids.Select(id => loader.LoadNowAsync(id, c.CancellationToken)));
        // A node that became invisible between the index's answer and the read is left out (its id stays a valid cursor).
        var edges = page.Ids.Zip(nodes).Where(x => x.Second is not null)
            .Select(x => new Edge<StixNode> { Node = x.Second!, Cursor = IndexCursor.From(x.First) }).ToList();
        return Connections.Of(edges, page.TotalCount, page.HasNextPage, hasPreviousPage: page.Before > 0,
            page.Ids.Count > 0 ? IndexCursor.From(page.Ids[0]) : null, page.Ids.Count > 0 ? IndexCursor.From(page.Ids[^1]) : null);
    }
}
