namespace ThreatGraph.Contracts.Lifecycle;

/// <summary>
/// Indicator lifecycle for the rest of the system (stateless worker, key 0): after an ingest, the indicators it gave a
/// new version or a new sighting are revived (their age starts again; links re-sent to correlation when they had
/// stopped counting) and scheduled for the moment they would stop counting.
/// </summary>
[Alias("tg.ILifecycleGrain")]
public interface ILifecycleGrain : IGrainWithIntegerKey
{
    /// <param name="sighted">Indicator id → the access of each new sighting of it.</param>
    [Alias("Touched")]
    Task TouchedAsync(IReadOnlyList<string> newVersions, IReadOnlyDictionary<string, IReadOnlyList<Security.AccessDescriptor>> sighted);

    /// <summary>Adds indicators to the schedule buckets of their due times.</summary>
    [Alias("Schedule")]
    Task ScheduleAsync(IReadOnlyDictionary<string, DateTimeOffset> due);
}

/// <summary>
/// One bucket of the expiry schedule (key <c>{bucket start yyyyMMddHHmm}/{partition}</c>): the indicators due in it, and
/// one Orleans reminder that fires at the bucket's start (and again every bucket length while entries remain). On it,
/// each due indicator is asked whether it stopped counting; those that did are unlinked from correlation (their clusters
/// split and tell subscribers: SPLIT), those revived meanwhile are moved to their new bucket. No scan of all indicators.
/// </summary>
[Alias("tg.ILifecycleScheduleGrain")]
public interface ILifecycleScheduleGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(IReadOnlyDictionary<string, DateTimeOffset> due);

    /// <summary>The indicators scheduled here (tests, diagnostics).</summary>
    [Alias("Entries")]
    Task<IReadOnlyDictionary<string, DateTimeOffset>> EntriesAsync();
}
