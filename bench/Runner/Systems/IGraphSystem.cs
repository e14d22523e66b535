using ThreatGraph.Bench.Generator;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>One system under test at one access level. Every query answers the same question on every system:
/// see <see cref="EdgeKinds"/> for which edges each walks. A capability a system lacks throws
/// <see cref="NotSupportedException"/> from <see cref="Supports"/>'s point of view: the workload reports n/a.</summary>
public interface IGraphSystem
{
    /// <summary>Row label, e.g. "ThreatGraph (gateway)".</summary>
    string Name { get; }

    bool IsThreatGraph { get; }

    /// <summary>Null when the system can run the capability; else why not (shown as n/a).</summary>
    string? Unsupported(Capability capability);

    /// <summary>The node's type, or null when unknown.</summary>
    Task<string?> LookupAsync(string id, CancellationToken ct);

    /// <summary>Distinct nodes within 2 hops (any edge kind, either direction), the center excluded, at most
    /// <see cref="Limits.NeighbourhoodNodes"/> of them; returns how many came back.</summary>
    Task<int> TwoHopAsync(string id, CancellationToken ct);

    /// <summary>Hops between a and b over <see cref="EdgeKinds.Path"/> edges, at most 6; null when farther or unreachable.</summary>
    Task<int?> ShortestPathAsync(string a, string b, CancellationToken ct);

    /// <summary>Campaigns linked to this one (itself included), over <see cref="EdgeKinds.Link"/> edges.</summary>
    Task<IReadOnlyCollection<string>> LinkedCampaignsAsync(string campaignId, CancellationToken ct);

    /// <summary>Ingest one small unit of new data (an ipv4-addr, an indicator naming it, indicates → a target).</summary>
    Task IngestUnitAsync(DeltaUnit unit, CancellationToken ct);

    /// <summary>Opens <paramref name="perCampaign"/> separate subscriptions to updates of each campaign; each reports
    /// the new members it is told about to <paramref name="watch"/>. Disposing closes them all.</summary>
    Task<IAsyncDisposable> SubscribeCampaignsAsync(IReadOnlyList<string> campaignIds, int perCampaign, CampaignWatch watch, CancellationToken ct);
}

public enum Capability { Lookup, TwoHop, ShortestPath, LinkedCampaigns, Ingest, Subscription }

public static class Limits
{
    /// <summary>ThreatGraph's GraphQL neighbourhood cap; every system returns at most this many ids.</summary>
    public const int NeighbourhoodNodes = 5_000;
    public const int MaxPathHops = 6;

    /// <summary>ThreatGraph's GraphQL node limit of correlation searches (shortest path, linked campaigns).</summary>
    public const int TraversalNodes = 20_000;
}
