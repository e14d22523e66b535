using ThreatGraph.Contracts.Security;

namespace ThreatGraph.Contracts.Model;

/// <summary>One validated STIX object version on its way into the graph.</summary>
/// <param name="Json">The object exactly as received (compact JSON).</param>
/// <param name="VersionStamp">modified (or created; null for SCOs, which have one version).</param>
/// <param name="OutEdges">Edges this object declares (embedded refs, pattern observables), Direction Out.</param>
/// <param name="Access">Who reports it and who may see it (computed by ingest from the caller and the markings).</param>
/// <param name="Name">The object's name (or an SCO's value), for the search index.</param>
/// <param name="Endpoints">A relationship's or sighting's endpoints with who may see them: the SRO is shown only to
/// readers who may see its endpoints (it names them).</param>
/// <param name="Original">The STIX 2.0 text this version was upgraded from, exactly as received; null for 2.1 content.</param>
[GenerateSerializer, Immutable, Alias("tg.StixObjectVersion")]
public sealed record StixObjectVersion(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string Json,
    [property: Id(3)] DateTimeOffset? VersionStamp,
    [property: Id(4)] bool Revoked,
    [property: Id(5)] IReadOnlyList<string> Markings,
    [property: Id(6)] IReadOnlyList<Edge> OutEdges,
    [property: Id(7)] AccessDescriptor? Access = null,
    [property: Id(8)] string? Name = null,
    [property: Id(9)] IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>>? Endpoints = null,
    [property: Id(10)] string? Original = null);
