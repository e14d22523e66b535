using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Federation;

/// <summary>
/// The durable sync position and health of one federation peer (key: the peer's configured name). Written only by the
/// sync job, after a page is fully applied: a crash before that replays the page (ingest is idempotent), never skips it.
/// </summary>
[Alias("tg.IFederationPeerGrain")]
public interface IFederationPeerGrain : IGrainWithStringKey
{
    [ReadOnly, Alias("GetStatus")]
    Task<FederationPeerStatus> GetStatusAsync();

    /// <summary>Every silo runs the sync job; one pulls a peer at a time. True when <paramref name="holder"/> holds (or
    /// now takes, or renews) the lease for <paramref name="ttl"/>. Not persisted: after a failover the next asker gets it.</summary>
    [Alias("TryLease")]
    Task<bool> TryLeaseAsync(string holder, TimeSpan ttl);

    /// <summary>A page was applied: move the checkpoint to its last date_added and add its counts.</summary>
    [Alias("RecordPage")]
    Task RecordPageAsync(FederationPageResult page);

    /// <summary>A poll found nothing new: the peer is fully pulled as of now.</summary>
    [Alias("RecordCaughtUp")]
    Task RecordCaughtUpAsync();

    /// <summary>A poll failed (peer unreachable, refused credentials, bad answer): kept for the status, checkpoint
    /// unchanged; <paramref name="retryAt"/> is when the backed-off job tries again.</summary>
    [Alias("RecordError")]
    Task RecordErrorAsync(string message, DateTimeOffset? retryAt = null);
}

/// <param name="Checkpoint">The last date_added (on the peer) applied here: the next pull asks for what was added after it.</param>
/// <param name="LagSeconds">Of the last object applied: how long after its date_added on the peer it was applied here.</param>
[GenerateSerializer, Immutable, Alias("tg.FederationPageResult")]
public sealed record FederationPageResult(
    [property: Id(0)] DateTimeOffset Checkpoint,
    [property: Id(1)] int Applied,
    [property: Id(2)] int Unchanged,
    [property: Id(3)] int Refused,
    [property: Id(4)] double LagSeconds,
    [property: Id(5)] bool CaughtUp,
    [property: Id(6)] string? Problem);

/// <param name="LastSync">The last time a poll succeeded (applied a page or found nothing new).</param>
/// <param name="CaughtUp">Whether that poll reached the end of the peer's collection.</param>
/// <param name="Refused">Objects not taken: marking or reporter not allowed, or rejected by validation.</param>
/// <param name="Errors">Failed polls in all; <paramref name="ConsecutiveErrors"/> since the last success.</param>
/// <param name="RetryAt">While polls fail: when the backed-off job tries again.</param>
[GenerateSerializer, Immutable, Alias("tg.FederationPeerStatus")]
public sealed record FederationPeerStatus(
    [property: Id(0)] string Peer,
    [property: Id(1)] DateTimeOffset? Checkpoint,
    [property: Id(2)] DateTimeOffset? LastSync,
    [property: Id(3)] double? LagSeconds,
    [property: Id(4)] bool CaughtUp,
    [property: Id(5)] long Applied,
    [property: Id(6)] long Unchanged,
    [property: Id(7)] long Refused,
    [property: Id(8)] long Errors,
    [property: Id(9)] int ConsecutiveErrors,
    [property: Id(10)] string? LastError,
    [property: Id(11)] DateTimeOffset? LastErrorAt,
    [property: Id(12)] DateTimeOffset? RetryAt = null);
