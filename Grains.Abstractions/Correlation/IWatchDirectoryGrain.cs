namespace ThreatGraph.Contracts.Correlation;

/// <summary>
/// Who listens to which correlation streams. Cluster grains publish a campaign's updates only when someone watches it
/// (and cluster merges only when someone watches those), so a bulk load with no dashboard open publishes nothing.
/// Gateways and other stream consumers register what they listen to with <see cref="StreamWatches"/>; each silo
/// keeps the union in memory through <see cref="IWatchSetObserver"/>. Only subscribe and unsubscribe call it, never ingest.
/// </summary>
[Alias("tg.IWatchDirectoryGrain")]
public interface IWatchDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Replaces what one holder (a gateway process) watches. The holder's lease runs out after
    /// <see cref="WatchLease.Duration"/> unless set again; returns once every subscribed silo has the new union (or was dropped after <see cref="WatchLease.ObserverPushTimeout"/>).</summary>
    Task SetAsync(string holder, WatchList watches);

    /// <summary>Adds or refreshes a silo's observer (it expires after <see cref="WatchLease.ObserverDuration"/>) and
    /// returns the current union.</summary>
    Task<WatchSet> SubscribeAsync(IWatchSetObserver observer);
}

/// <summary>What one holder watches.</summary>
[GenerateSerializer, Immutable, Alias("tg.WatchList")]
public sealed record WatchList([property: Id(0)] IReadOnlyList<string> Campaigns, [property: Id(1)] bool ClusterMerges);

/// <summary>The union of all holders' watches. <see cref="Complete"/> is false while the directory may not know every
/// holder yet (for one lease after it starts, since holders re-register within a lease): publishers then publish everything.</summary>
[GenerateSerializer, Immutable, Alias("tg.WatchSet")]
public sealed record WatchSet([property: Id(0)] IReadOnlyList<string> Campaigns, [property: Id(1)] bool ClusterMerges, [property: Id(2)] bool Complete);

/// <summary>A silo's copy of the watch set, kept current by the directory.</summary>
[Alias("tg.IWatchSetObserver")]
public interface IWatchSetObserver : IGrainObserver
{
    Task ChangedAsync(WatchSet watches);
}

public static class WatchLease
{
    /// <summary>How long a holder's watches last without renewal.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    /// <summary>How often a holder renews (a third of the lease, so one lost renewal does not drop its watches).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    /// <summary>How long a silo's observer lasts without re-subscribing; silos re-subscribe every <see cref="RenewEvery"/>.</summary>
    public static readonly TimeSpan ObserverDuration = TimeSpan.FromSeconds(90);

    /// <summary>How long the directory waits for one silo to take a new set. One that does not answer in time (a silo
    /// going down, an observer whose process dropped it) is dropped until it subscribes again, so it cannot hold every
    /// gateway's subscribe up for Orleans' whole response timeout.</summary>
    public static readonly TimeSpan ObserverPushTimeout = TimeSpan.FromSeconds(5);
}
