namespace ThreatGraph.Grains.Lifecycle;

/// <summary>Collects, over one ingest, the indicators it gave a new version or a new sighting, and hands them to
/// <see cref="ILifecycleGrain"/> after correlation (one call). Thread-safe: ingest applies objects in parallel.</summary>
public sealed class LifecycleCollector
{
    readonly Lock _gate = new();
    readonly HashSet<string> _versions = new(StringComparer.Ordinal);
    readonly HashSet<string> _sighted = new(StringComparer.Ordinal);

    public void NewVersion(string indicatorId)
    {
        lock (_gate)
        {
            _versions.Add(indicatorId);
        }
    }

    public void Sighted(string indicatorId)
    {
        lock (_gate)
        {
            _sighted.Add(indicatorId);
        }
    }

    public async Task FlushAsync(IGrainFactory grains)
    {
        List<string> versions, sighted;
        lock (_gate)
        {
            (versions, sighted) = ([.. _versions], [.. _sighted]);
            _versions.Clear();
            _sighted.Clear();
        }
        if (versions.Count > 0 || sighted.Count > 0)
        {
            await grains.GetGrain<ILifecycleGrain>(0).TouchedAsync(versions, sighted);
        }
    }
}
