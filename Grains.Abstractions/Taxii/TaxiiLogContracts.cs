namespace ThreatGraph.Contracts.Taxii;

/// <summary>One object version as the TAXII collection log knows it: enough to filter, page and build a manifest
/// without reading the object. The content stays in its node grain (which also decides who may see it).</summary>
/// <param name="Seq">Position in its partition's log, 1-based and dense: the paging cursor (one per partition).</param>
/// <param name="Version">The TAXII version string: <c>modified</c>, else <c>created</c>, else date_added (SCOs).</param>
/// <param name="VersionStamp">The parsed version, to compare versions of one id.</param>
/// <param name="SpecVersion">The object's <c>spec_version</c> (null when absent).</param>
/// <param name="ContentHash">First 8 bytes of SHA-256 of the stored JSON: which of the node's versions this entry is.</param>
/// <param name="DateAdded">When this version entered the collection; strictly increasing along its partition, and
/// never equal across partitions (see <c>TaxiiLogClock</c>).</param>
[GenerateSerializer, Immutable, Alias("tg.TaxiiLogEntry")]
public sealed record TaxiiLogEntry(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Id,
    [property: Id(2)] string Type,
    [property: Id(3)] string Version,
    [property: Id(4)] DateTimeOffset VersionStamp,
    [property: Id(5)] string? SpecVersion,
    [property: Id(6)] long ContentHash,
    [property: Id(7)] DateTimeOffset DateAdded);

/// <summary>A version to append (the log assigns Seq and DateAdded; null Version/VersionStamp: an SCO, versioned by
/// date_added).</summary>
/// <param name="Proposed">The date_added the writer proposes (its ingest order): taken when it is above the partition's
/// floor and near its clock; it orders one ingest's versions across partitions, nothing depends on it
/// for correctness.</param>
[GenerateSerializer, Immutable, Alias("tg.TaxiiLogAppend")]
public sealed record TaxiiLogAppend(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string? Version,
    [property: Id(3)] DateTimeOffset? VersionStamp,
    [property: Id(4)] string? SpecVersion,
    [property: Id(5)] long ContentHash,
    [property: Id(6)] DateTimeOffset? Proposed = null);

/// <summary>TAXII filters the log applies itself (visibility is applied by the gateway through the node grains).</summary>
/// <param name="AfterSeq">Start after this position (the cursor; 0 = from the start).</param>
/// <param name="AddedAfter">Only entries added strictly after this instant.</param>
/// <param name="Versions">match[version]: <c>first</c>, <c>last</c>, <c>all</c> and/or timestamps (null: <c>last</c>).</param>
/// <param name="Take">At most this many matching entries.</param>
/// <param name="MaxScan">Stop after examining this many entries (bounds one call; the answer says where it stopped).</param>
/// <param name="RaiseTo">Asks the partition for a safe time of at least this (a reader holding entries of other
/// partitions up to it); granted up to the partition's durable lease.</param>
[GenerateSerializer, Immutable, Alias("tg.TaxiiLogQuery")]
public sealed record TaxiiLogQuery(
    [property: Id(0)] long AfterSeq,
    [property: Id(1)] DateTimeOffset? AddedAfter,
    [property: Id(2)] IReadOnlyList<string>? Ids,
    [property: Id(3)] IReadOnlyList<string>? Types,
    [property: Id(4)] IReadOnlyList<string>? SpecVersions,
    [property: Id(5)] IReadOnlyList<string>? Versions,
    [property: Id(6)] int Take,
    [property: Id(7)] int MaxScan = 50_000,
    [property: Id(8)] DateTimeOffset? RaiseTo = null);

/// <param name="ScannedTo">The last position examined: continue after it.</param>
/// <param name="AtEnd">Nothing after <paramref name="ScannedTo"/> (at the time of the call).</param>
/// <param name="CompleteThrough">Every entry of this partition with a date_added up to this instant that the query can
/// match has been examined by this call or is before its start: the last examined entry's date_added when the call
/// stopped early, else the partition's safe time (no later append will ever have a date_added at or below it). The
/// reader serves only entries up to the minimum over partitions (README "TAXII 2.1", the watermark).</param>
/// <param name="LeaseShort">The safe time was held back by the partition's durable lease: a
/// <see cref="ITaxiiLogPartitionGrain.RenewAsync"/> lets it answer more.</param>
[GenerateSerializer, Immutable, Alias("tg.TaxiiLogPage")]
public sealed record TaxiiLogPage(
    [property: Id(0)] IReadOnlyList<TaxiiLogEntry> Entries,
    [property: Id(1)] long ScannedTo,
    [property: Id(2)] bool AtEnd,
    [property: Id(3)] DateTimeOffset CompleteThrough = default,
    [property: Id(4)] bool LeaseShort = false);
