namespace ThreatGraph.Contracts.Enrichment;

/// <summary>Where a job's change feed stands: the last sequence number read in each partition of the TAXII collection
/// log (index = partition). Stored with the job's counts in one write, so a host that restarts resumes exactly there.</summary>
[GenerateSerializer, Immutable, Alias("tg.EnrichmentCheckpoint")]
public sealed record EnrichmentCheckpoint([property: Id(0)] IReadOnlyList<long> AfterSeq)
{
    public static readonly EnrichmentCheckpoint Start = new([]);

    public long Of(int partition) => partition < AfterSeq.Count ? AfterSeq[partition] : 0;
}

/// <summary>What one pass of a job did: counts to add, the feed position reached (null: unchanged), how far behind the
/// feed it is (null: unchanged), and the on-demand requests it completed.</summary>
[GenerateSerializer, Immutable, Alias("tg.EnrichmentProgress")]
public sealed record EnrichmentProgress(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] long Processed,
    [property: Id(2)] long Failed,
    [property: Id(3)] EnrichmentCheckpoint? Checkpoint,
    [property: Id(4)] long? Lag,
    [property: Id(5)] IReadOnlyList<string> CompletedRequests,
    [property: Id(6)] string? LastError);

/// <summary>A job as GraphQL <c>enrichmentJobs</c> shows it.</summary>
/// <param name="LastRun">When a pass last finished (null: never).</param>
/// <param name="Processed">Objects enriched (written or found to need nothing) since the job was first registered.</param>
/// <param name="Failed">Objects whose enrichment failed (threw, timed out, gave invalid STIX, or was refused).</param>
/// <param name="Lag">Log entries of the change feed not yet read at the last pass, plus on-demand requests waiting.</param>
/// <param name="ObjectTypes">The STIX types it enriches.</param>
/// <param name="Member">The organisation member it runs as.</param>
/// <param name="LastError">The last failure's reason (never an object's content).</param>
[GenerateSerializer, Immutable, Alias("tg.EnrichmentJobStatus")]
public sealed record EnrichmentJobStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] DateTimeOffset? LastRun,
    [property: Id(2)] long Processed,
    [property: Id(3)] long Failed,
    [property: Id(4)] long Lag,
    [property: Id(5)] IReadOnlyList<string> ObjectTypes,
    [property: Id(6)] string Org,
    [property: Id(7)] string Member,
    [property: Id(8)] string? LastError);

/// <summary>How a host registers a job: its name, types and identity (refused without the enrichment role).</summary>
[GenerateSerializer, Immutable, Alias("tg.EnrichmentJobRegistration")]
public sealed record EnrichmentJobRegistration(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<string> ObjectTypes,
    [property: Id(2)] string Org,
    [property: Id(3)] string Member);
