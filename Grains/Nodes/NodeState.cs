using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Persisted state of a node grain: the reports (contributions) of the object, one per reporting organisation,
/// and its adjacency.</summary>
[GenerateSerializer, Alias("tg.NodeState.v2")]
public sealed class NodeState
{
    /// <summary>One per reporting organisation, in order of arrival. An SDO/SRO has exactly one (its owner's); an
    /// observable has one per organisation that reported the value. Empty for a placeholder.</summary>
    [Id(0)] public List<Contribution> Contributions { get; set; } = [];
    /// <summary>Inline adjacency, keyed by <see cref="Edge.Key"/>: at most <see cref="EdgeSharding.InlineLimit"/> entries
    /// (plus the object's own out-edges); the rest is in edge shards. Not stored as such: the grain keeps it in memory
    /// and stores it packed (<see cref="PackedEdges"/>).</summary>
    [field: NonSerialized] public Dictionary<string, Edge> Edges { get; set; } = [];
    /// <summary>The stored form of <see cref="Edges"/>, filled just before a write and emptied after it.</summary>
    [Id(8)] public PackedEdges? Packed { get; set; }
    /// <summary>Size of each edge shard <c>{nodeId}/{i}</c>, as the shard last reported it (in memory only); empty until the node spills.</summary>
    [field: NonSerialized] public List<int> ShardCounts { get; set; } = [];
    /// <summary>How many edge shards there are: a shard's size is asked of the shard on activation, so that appending to a
    /// shard does not rewrite the node.</summary>
    [Id(9)] public int ShardCount { get; set; }
    /// <summary>When the first version arrived at this deployment (provenance: "when it arrived").</summary>
    [Id(3)] public DateTimeOffset? FirstSeen { get; set; }
    /// <summary>Bumped by every change of a contribution: orders this node's entries in the search index.</summary>
    [Id(4)] public long Revision { get; set; }
    /// <summary>A relationship's or sighting's endpoints (source/target, sighting_of_ref) with who may see them, kept
    /// current like <see cref="Edge.PeerAccess"/>: the SRO names them, so it is shown only to readers who see them.</summary>
    [Id(5)] public Dictionary<string, IReadOnlyList<AccessDescriptor>> Endpoints { get; set; } = [];
    /// <summary>The correlation cluster this node was last pointed at (a merged-away cluster forwards; see
    /// <see cref="Correlation.IClusterGrain"/>); null when it links to nothing.</summary>
    [Id(6)] public string? ClusterId { get; set; }
    /// <summary>Why this observable never links (a MISP warninglist entry); null when none matched.</summary>
    [Id(7)] public string? Warninglist { get; set; }
    /// <summary>An incident's severity overrides by its reporter's analysts, oldest first; the last is in force unless its
    /// level is <see cref="Severity.IncidentSeverities.Cleared"/>. Kept whole: the history is the audit trail's twin.</summary>
    [Id(10)] public List<ThreatGraph.Contracts.Severity.SeverityOverride> SeverityOverrides { get; set; } = [];
    /// <summary>An indicator's last revival: when its current version or its latest (visible) sighting arrived.</summary>
    [Id(11)] public DateTimeOffset? Revived { get; set; }
    /// <summary>An indicator was seen inactive (expired or decayed) since it last linked: a revival re-sends its links.</summary>
    [Id(12)] public bool Unlinked { get; set; }
}

/// <summary>
/// One organisation's report of an object: its own versions (each with the markings and access it had), its own
/// out-edges. Only that organisation versions, revokes or retracts it (README "Who sees what").
/// </summary>
[GenerateSerializer, Alias("tg.Contribution")]
public sealed class Contribution
{
    [Id(0)] public string Org { get; set; } = "";
    /// <summary>Every version received, oldest first; the last is current. (Its own out-edges are not listed: they are the
    /// node's out-going embedded refs that this report declares, see <c>NodeGrain.OwnEdges</c>.)</summary>
    [Id(1)] public List<StoredVersion> Versions { get; set; } = [];
    [Id(3)] public DateTimeOffset FirstSeen { get; set; }

    public StoredVersion Current => Versions[^1];
}

/// <summary>One stored version of a contribution, with the access its own markings gave it (and, for a version
/// upgraded from STIX 2.0, the 2.0 text it came as). The JSON is kept as UTF-8 (half the bytes of a .NET string for
/// STIX's mostly-ASCII text); a read turns it into a string.</summary>
[GenerateSerializer, Immutable, Alias("tg.StoredVersion")]
public sealed record StoredVersion(
    [property: Id(6)] byte[] Utf8Json,
    [property: Id(1)] DateTimeOffset? Stamp,
    [property: Id(2)] bool Revoked,
    [property: Id(3)] IReadOnlyList<string> Markings,
    [property: Id(4)] AccessDescriptor Access,
    [property: Id(5)] string? Name,
    [property: Id(7)] string? Original = null)
{
    /// <summary>The JSON of a version stored before it was kept as UTF-8 (then <see cref="Utf8Json"/> is null).</summary>
    [Id(0)] public string? LegacyJson { get; init; }

    public string Json => LegacyJson ?? System.Text.Encoding.UTF8.GetString(Utf8Json);

    public bool HasJson(byte[] utf8) => LegacyJson is { } legacy
        ? legacy == System.Text.Encoding.UTF8.GetString(utf8)
        : Utf8Json.AsSpan().SequenceEqual(utf8);
}
