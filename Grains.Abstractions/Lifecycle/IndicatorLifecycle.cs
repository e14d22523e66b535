namespace ThreatGraph.Contracts.Lifecycle;

/// <summary>An indicator's lifecycle now: its decayed score, when it decays (falls below the threshold) and expires
/// (valid_until), whether it still counts, and why not.</summary>
/// <param name="Score">s0 · (1 − (t/L)^(1/δ)) with t the time since it was last revived (0 once expired).</param>
/// <param name="Since">Its last revival: the arrival of its current version or of its latest sighting.</param>
/// <param name="Inactive">Why it no longer counts (expired, decayed); null while it does.</param>
[GenerateSerializer, Immutable, Alias("tg.IndicatorLifecycle")]
public sealed record IndicatorLifecycle(
    [property: Id(0)] double Score,
    [property: Id(1)] DateTimeOffset? DecayedAt,
    [property: Id(2)] DateTimeOffset? ValidUntil,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] string? Inactive)
{
    public bool Active => Inactive is null;

    /// <summary>When it stops counting if nothing revives it (the earlier of decay and expiry); null once inactive.</summary>
    public DateTimeOffset? Due => Active ? Min(DecayedAt, ValidUntil) : null;

    static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}

/// <summary>What a lifecycle step of an indicator asks of correlation: <see cref="Unlink"/> it (it stopped counting), or
/// re-send its linking edges (<see cref="Relink"/>: it was unlinked and is revived); and when to look again.</summary>
[GenerateSerializer, Immutable, Alias("tg.LifecycleStep")]
public sealed record LifecycleStep(
    [property: Id(0)] bool Unlink,
    [property: Id(1)] IReadOnlyList<Correlation.LinkChange> Relink,
    [property: Id(2)] DateTimeOffset? Due);
