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
    [property: Id(7)] AccessDescriptor? Access = null)
{
    /// <summary>Referenced by an object that arrived, but not itself received (yet).</summary>
    public bool IsPlaceholder => Json is null;
}
