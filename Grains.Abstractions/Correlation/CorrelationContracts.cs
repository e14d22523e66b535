using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Contracts.Correlation;

/// <summary>One linking edge appearing (Add) or disappearing (removal, revocation) in the correlation graph.</summary>
/// <param name="EdgeKey">The edge id (SRO id or <c>ref:{source}|{property}|{target}</c>): the same edge seen again is one edge.</param>
/// <param name="Access">Who may see the report that declares the link: a caller's view of correlation never uses a link
/// it may not see (null: the system only).</param>
[GenerateSerializer, Immutable, Alias("tg.LinkChange")]
public sealed record LinkChange(
    [property: Id(0)] string EdgeKey,
    [property: Id(1)] string Kind,
    [property: Id(2)] string SourceId,
    [property: Id(3)] string TargetId,
    [property: Id(4)] bool Add,
    [property: Id(5)] Security.AccessDescriptor? Access = null);

/// <summary>What one ingest hands to correlation: linking edges added/removed, and observables that a warninglist
/// excludes from linking (node id → reason).</summary>
/// <param name="Recheck">Nodes whose linking may have changed by themselves (an indicator that expired or decayed): each
/// is asked again, and one that no longer links leaves its cluster.</param>
[GenerateSerializer, Immutable, Alias("tg.CorrelationBatch")]
public sealed record CorrelationBatch(
    [property: Id(0)] IReadOnlyList<LinkChange> Changes,
    [property: Id(1)] IReadOnlyDictionary<string, string> Exclusions,
    [property: Id(2)] IReadOnlyList<string>? Recheck = null);

/// <summary>A cluster (connected component of the correlation graph) as readers see it.</summary>
/// <param name="Id">The live cluster id (a merged-away id given to the read is followed to the cluster it forwards to).</param>
/// <param name="Members">The requested page of member ids (sorted).</param>
/// <param name="Campaigns">Campaign members. <paramref name="Actors"/>: intrusion-set and threat-actor members.</param>
[GenerateSerializer, Immutable, Alias("tg.ClusterView")]
public sealed record ClusterView(
    [property: Id(0)] string Id,
    [property: Id(1)] int Size,
    [property: Id(2)] IReadOnlyList<string> Members,
    [property: Id(3)] IReadOnlyList<string> Campaigns,
    [property: Id(4)] IReadOnlyList<string> Actors,
    [property: Id(5)] IReadOnlyList<string> Incidents,
    [property: Id(6)] string Severity);

/// <summary>The linking edges around a node (breadth-first within its cluster), with their weights.</summary>
[GenerateSerializer, Immutable, Alias("tg.LinkSubgraph")]
public sealed record LinkSubgraph(
    [property: Id(0)] string? ClusterId,
    [property: Id(1)] IReadOnlyList<SubgraphEdge> Edges,
    [property: Id(2)] bool Partial,
    [property: Id(3)] string? PartialReason);

public enum CampaignUpdateKind { Subscribed, NewMember, NewLink, Merge, Split, SeverityChange }

/// <summary>What changed for one campaign in one correlation batch (published on stream <c>campaign/{id}</c>), as the
/// system sees it. Each id list names at most 20 ids (the first in id order; <see cref="ClusterSize"/> counts them all);
/// the gateway recomputes a subscriber's lists from that subscriber's own view of the cluster.</summary>
[GenerateSerializer, Immutable, Alias("tg.CampaignUpdate")]
public sealed record CampaignUpdate(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] IReadOnlyList<CampaignUpdateKind> Kinds,
    [property: Id(2)] string ClusterId,
    [property: Id(3)] int ClusterSize,
    [property: Id(4)] IReadOnlyList<string> LinkedCampaignIds,
    [property: Id(5)] IReadOnlyList<string> NewlyLinkedCampaignIds,
    [property: Id(6)] IReadOnlyList<string> UnlinkedCampaignIds,
    [property: Id(7)] IReadOnlyList<string> NewMemberIds,
    [property: Id(8)] IReadOnlyList<string> MergedClusterIds,
    [property: Id(9)] string Severity,
    [property: Id(10)] DateTimeOffset At);

/// <summary>Two clusters became one (published on stream <c>cluster-merged/all</c>).</summary>
[GenerateSerializer, Immutable, Alias("tg.ClusterMerged")]
public sealed record ClusterMerged(
    [property: Id(0)] string WinnerId,
    [property: Id(1)] string? LoserId,
    [property: Id(2)] int Size,
    [property: Id(3)] int LoserSize,
    [property: Id(4)] IReadOnlyList<string> CampaignIds,
    [property: Id(5)] DateTimeOffset At);

/// <summary>Stream namespaces on the <see cref="StorageNames.Streams"/> provider.</summary>
public static class CorrelationStreams
{
    /// <summary>Keyed by campaign id: <see cref="CampaignUpdate"/>.</summary>
    public const string Campaign = "campaign";

    /// <summary>Key <see cref="AllKey"/>: <see cref="ClusterMerged"/>.</summary>
    public const string ClusterMerged = "cluster-merged";

    public const string AllKey = "all";
}

/// <summary>One linked campaign: the strongest evidence path from the asked campaign and its strength.</summary>
[GenerateSerializer, Immutable, Alias("tg.CampaignLink")]
public sealed record CampaignLink(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] double Strength,
    [property: Id(2)] IReadOnlyList<string> PathNodes,
    [property: Id(3)] IReadOnlyList<SubgraphEdge> PathEdges);

[GenerateSerializer, Immutable, Alias("tg.LinkedCampaigns")]
public sealed record LinkedCampaigns(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] string? ClusterId,
    [property: Id(2)] IReadOnlyList<CampaignLink> Links,
    [property: Id(3)] bool Partial,
    [property: Id(4)] string? PartialReason);

[GenerateSerializer, Immutable, Alias("tg.PathResult")]
public sealed record PathResult(
    [property: Id(0)] bool Found,
    [property: Id(1)] IReadOnlyList<string> Nodes,
    [property: Id(2)] IReadOnlyList<SubgraphEdge> Edges,
    [property: Id(3)] bool Partial,
    [property: Id(4)] string? PartialReason);

/// <summary>A linking edge as a cluster keeps it: its endpoints, kind, and who may see the report that declares it.</summary>
[GenerateSerializer, Immutable, Alias("tg.ClusterLink")]
public sealed record ClusterLink(
    [property: Id(0)] string U,
    [property: Id(1)] string V,
    [property: Id(2)] string Kind,
    [property: Id(3)] AccessDescriptor? Access);

