using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Model;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.DataLoaders;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>The fields of the StixObject interface, added to it and to every type that implements it.</summary>
public static class CommonFields
{
    public const int MaxPageSize = 500;

    public static void AddTo(ObjectGraphType<StixNode> t)
    {
        t.Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        t.Field<NonNullGraphType<StringGraphType>>("type").Resolve(c => c.Source.Type);
        t.Field<StringGraphType>("specVersion").Resolve(c => c.Source.String("spec_version"));
        t.Field<StringGraphType>("created").Description("RFC 3339 timestamp as sent.").Resolve(c => c.Source.String("created"));
        t.Field<StringGraphType>("modified").Description("RFC 3339 timestamp as sent.").Resolve(c => c.Source.String("modified"));
        t.Field<StringGraphType>("name").Description("name, or value for observables.").Resolve(c => c.Source.String("name") ?? c.Source.String("value"));
        t.Field<StringGraphType>("description").Resolve(c => c.Source.String("description"));
        t.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("labels").Resolve(c => c.Source.Strings("labels"));
        t.Field<NonNullGraphType<BooleanGraphType>>("revoked").Resolve(c => c.Source.View.Revoked);
        t.Field<NonNullGraphType<BooleanGraphType>>("placeholder")
            .Description("True when other objects refer to this id but the object itself has not been received.")
            .Resolve(c => c.Source.IsPlaceholder);
        t.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("markings")
            .Description("object_marking_refs (marking-definition ids).").Resolve(c => c.Source.View.Markings);
        t.Field<StixObjectInterface>("createdBy")
            .Resolve(c => c.Source.String("created_by_ref") is { } by ? Loader(c).Load(by) : null);
        t.Field<StringGraphType>("stix").Description("The stored STIX JSON of the current version of the report you are shown, exactly as received.")
            .Resolve(c => c.Source.View.Json);
        t.Field<StringGraphType>("originalStix20")
            .Description("When the version in stix was upgraded from STIX 2.0 on ingest: the STIX 2.0 JSON exactly as received; null when it came as STIX 2.1.")
            .Resolve(c => c.Source.View.Original);
        t.Field<NonNullGraphType<IntGraphType>>("versionCount").Description("Versions you may see.").Resolve(c => c.Source.View.VersionCount);
        t.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("reportedBy")
            .Description("Organisations whose reports of this object you may see: several for an observable more than one "
                + "reported. stix, markings and provenance show one of them: a live one, your own organisation's first.")
            .Resolve(c => c.Source.View.Reporters ?? []);
        t.Field<ProvenanceGraphType>("provenance").Description("Who reported it, where and when (null for a placeholder).")
            .Resolve(c => ProvenanceGraphType.Of(c.Source, c.RequestServices!.GetRequiredService<IOptions<FederationOptions>>().Value));
        t.Field<NonNullGraphType<ConnectionType<StixEdgeGraphType, EdgeType<StixEdgeGraphType>>>>("relationships")
            .Description("Edges at this node: relationships, sightings' refs and embedded refs, in both directions by default.")
            .Argument<EdgeDirectionGraphType>("direction", a => a.DefaultValue = EdgeDirectionFilter.Both)
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("types", "Edge kinds: relationship_type (uses, indicates…) or ref property (created_by_ref…).")
            .Argument<BooleanGraphType>("includeRevoked", a => a.DefaultValue = false)
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await RelationshipsAsync(c));
    }

    public static NodeByIdLoader Loader(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<NodeByIdLoader>();

    static async Task<object?> RelationshipsAsync(IResolveFieldContext<StixNode> c)
    {
        var first = Arguments.Range(c, "first", 0, MaxPageSize);
        var skip = Cursor.After(c.GetArgument<string?>("after"));
        var direction = c.GetArgument<EdgeDirectionFilter>("direction") switch
        {
            EdgeDirectionFilter.In => EdgeDirection.In,
            EdgeDirectionFilter.Out => (EdgeDirection?)EdgeDirection.Out,
            _ => null,
        };
        var kinds = c.GetArgument<List<string>?>("types");
        var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
        var page = await grains.GetGrain<ITraversalGrain>(0).ReadEdgesAsync(c.Source.Id,
            new EdgeQuery(direction, kinds, c.GetArgument<bool>("includeRevoked"), skip, first));
        return Connections.FromOffset(page.Items, skip, page.TotalCount);
    }
}
