using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Grains.Index;
using ThreatGraph.Grains.Traversal;
using ThreatGraph.GraphApi.Schema.Types;

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
            .Description("Objects whose id or name contains `text` (case-insensitive), optionally of the given types.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("types")
            .Argument<StringGraphType>("text")
            .Argument<BooleanGraphType>("includeRevoked", a => a.DefaultValue = false)
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
                var center = await CommonFields.Loader(c).LoadNowAsync(id, c.CancellationToken);
                if (center is null)
                {
                    return null;
                }
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var subgraph = await grains.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(
                    new NeighborhoodRequest(id, depth, c.GetArgument<List<string>?>("edgeTypes"), limit));
                return new NeighborhoodResult(id, subgraph);
            });

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TypeCountGraphType>>>>("typeCounts")
            .Description("How many objects of each STIX type the graph holds (placeholders not counted).")
            .Argument<BooleanGraphType>("includeRevoked", a => a.DefaultValue = false)
            .ResolveAsync(async c =>
            {
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var includeRevoked = c.GetArgument<bool>("includeRevoked");
                var types = await grains.GetGrain<ICatalogGrain>("catalog").GetTypesAsync();
                var counts = await Task.WhenAll(types.Select(t => grains.GetGrain<ITypeIndexGrain>(t).CountAsync(includeRevoked)));
                return types.Zip(counts, (t, n) => new TypeCount(t, n)).Where(x => x.Count > 0).ToList();
            });

        AuditQueryFields.AddTo(this);
        CorrelationQueryFields.AddTo(this);
        FederationQueryFields.AddTo(this);
    }

    static async Task<object?> SearchAsync(IResolveFieldContext c)
    {
        var first = Arguments.Range(c, "first", 0, CommonFields.MaxPageSize);
        var skip = Cursor.After(c.GetArgument<string?>("after"));
        var text = c.GetArgument<string?>("text");
        var includeRevoked = c.GetArgument<bool>("includeRevoked");
        var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
        var types = Arguments.Types(c, "types") ?? await grains.GetGrain<ICatalogGrain>("catalog").GetTypesAsync();

        // Types in a fixed order, each type's entries in arrival order: offsets are stable between pages.
        var ids = new List<string>();
        var total = 0;
        foreach (var type in types.Distinct().Order(StringComparer.Ordinal))
        {
            var localSkip = Math.Max(0, skip - total);
            var take = Math.Max(0, first - ids.Count);
            var page = await grains.GetGrain<ITypeIndexGrain>(type).SearchAsync(text, includeRevoked, localSkip, take);
            ids.AddRange(page.Items.Select(e => e.Id));
            total += page.TotalCount;
        }
        var loader = CommonFields.Loader(c);
        var nodes = await Task.WhenAll(ids.Select(id => loader.LoadNowAsync(id, c.CancellationToken)));
        return new Connection<StixNode>
        {
            TotalCount = total,
            Edges = [.. nodes.OfType<StixNode>().Select((n, i) => new Edge<StixNode> { Node = n, Cursor = Cursor.From(skip + i) })],
            PageInfo = new PageInfo
            {
                HasNextPage = skip + ids.Count < total,
                HasPreviousPage = skip > 0,
                StartCursor = ids.Count > 0 ? Cursor.From(skip) : null,
                EndCursor = ids.Count > 0 ? Cursor.From(skip + ids.Count - 1) : null,
            },
        };
    }
}
