using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Model;

/// <summary>What a point read of a node returns: its current STIX JSON (null for a placeholder) and facts the gateway
/// needs without parsing it.</summary>
[GenerateSerializer, Immutable, Alias("tg.NodeView")]
public sealed record NodeView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string? Json,
    [property: Id(3)] bool Revoked,
    [property: Id(4)] IReadOnlyList<string> Markings,
    [property: Id(5)] int EdgeCount,
    [property: Id(6)] int VersionCount,
    [property: Id(7)] AccessDescriptor? Access = null,
    [property: Id(8)] DateTimeOffset? FirstSeen = null)
{
    /// <summary>Referenced by an object that arrived, but not itself received (yet).</summary>
    public bool IsPlaceholder => Json is null;
}

/// <summary>A node's stored versions with the report the caller may see (its provenance): what TAXII serves.</summary>
/// <param name="Versions">Every stored version, oldest first.</param>
/// <param name="Access">The report of the object visible to the caller (an observable may have several).</param>
/// <param name="FirstSeen">When the first version arrived at this deployment.</param>
[GenerateSerializer, Immutable, Alias("tg.NodeRecord")]
public sealed record NodeRecord(
    [property: Id(0)] IReadOnlyList<string> Versions,
    [property: Id(1)] AccessDescriptor? Access,
    [property: Id(2)] DateTimeOffset? FirstSeen);
