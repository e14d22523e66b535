using ThreatGraph.Contracts.Security;

namespace ThreatGraph.Contracts.Index;

/// <summary>An object as the search index knows it, as its node holds it: one report per contributing organisation (an
/// observable reported by several), each with its current name, revocation, access and exact-match keys, so that
/// counting, listing and text search consider only the reports the caller may see.</summary>
/// <param name="Revision">The node's revision when it produced this entry: an index keeps the newest (concurrent
/// ingests may deliver entries out of order).</param>
/// <param name="Endpoints">For a relationship or sighting: who may see each endpoint it names; it is listed only to
/// readers who may see them all.</param>
[GenerateSerializer, Immutable, Alias("tg.IndexEntry.v2")]
public sealed record IndexEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] long Revision,
    [property: Id(2)] IReadOnlyList<IndexedReport> Reports,
    [property: Id(3)] IReadOnlyList<IReadOnlyList<AccessDescriptor>>? Endpoints = null);

/// <summary>One organisation's report of an object, as of its current version.</summary>
/// <param name="Keys">Exact-match search keys of this report's current version (ATT&amp;CK and CVE external ids,
/// aliases; see <c>Grains/Indexing/IndexKeys.cs</c>): searchable only by readers who may see this report.</param>
[GenerateSerializer, Immutable, Alias("tg.IndexedReport")]
public sealed record IndexedReport(
    [property: Id(0)] string? Name,
    [property: Id(1)] bool Revoked,
    [property: Id(2)] AccessDescriptor Access,
    [property: Id(3)] IReadOnlyList<string>? Keys = null);
