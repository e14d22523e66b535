using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Enrichment;

/// <summary>
/// One enrichment job's durable record (key: the job's name): its counts, change-feed checkpoint, on-demand requests and
/// the derived ids analysts rejected. The enrichment host writes it; the gateway reads it (<c>enrichmentJobs</c>) and
/// queues requests (<c>enrich</c>) and rejections into it.
/// </summary>
[Alias("tg.IEnrichmentJobGrain")]
public interface IEnrichmentJobGrain : IGrainWithStringKey
{
    /// <summary>Records the job's types and identity (the host, at start). Needs the enrichment role.</summary>
    [Alias("Register")]
    Task RegisterAsync(EnrichmentJobRegistration registration);

    /// <summary>Null until a host registered the job.</summary>
    [ReadOnly, Alias("GetStatus")]
    Task<EnrichmentJobStatus?> GetStatusAsync();

    [ReadOnly, Alias("GetCheckpoint")]
    Task<EnrichmentCheckpoint> GetCheckpointAsync();

    /// <summary>Adds a pass's counts and moves the checkpoint, in one write. Needs the job's own identity.</summary>
    [Alias("Record")]
    Task RecordAsync(EnrichmentProgress progress);

    /// <summary>Queues ids to enrich on demand (deduplicated); returns how many are queued now.</summary>
    [Alias("Request")]
    Task<int> RequestAsync(IReadOnlyList<string> ids);

    /// <summary>The oldest queued requests, left queued until <see cref="RecordAsync"/> names them completed.</summary>
    [ReadOnly, Alias("PendingRequests")]
    Task<IReadOnlyList<string>> PendingRequestsAsync(int max);

    /// <summary>Records that an analyst rejected a derived object (it is never written again by this job).</summary>
    [Alias("Reject")]
    Task RejectAsync(string derivedId);

    [ReadOnly, Alias("GetRejected")]
    Task<IReadOnlyList<string>> GetRejectedAsync();
}
