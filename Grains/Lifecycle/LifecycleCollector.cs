using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Lifecycle;

/// <summary>Collects, over one ingest, the indicators it gave a new version or a new sighting, and hands them to
/// <see cref="ILifecycleGrain"/> after correlation (one call). Thread-safe: ingest applies objects in parallel.</summary>
public sealed class LifecycleCollector
{
    readonly Lock _gate = new();
    readonly HashSet<string> _versions = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<AccessDescriptor>> _sighted = new(StringComparer.Ordinal);

    public void NewVersion(string indicatorId)
    {
        lock (_gate)
        {
            _versions.Add(indicatorId);
        }
    }

    /// <param name="access">Who may see the sighting: it revives only if that reveals nothing (<see cref="SightingRevival"/>).</param>
    public void Sighted(string indicatorId, AccessDescriptor access)
    {
        lock (_gate)
        {
            if (!_sighted.TryGetValue(indicatorId, out var list))
            {
                _sighted[indicatorId] = list = [];
            }
            list.Add(access);
        }
    }

    public async Task FlushAsync(IGrainFactory grains)
    {
        List<string> versions;
        Dictionary<string, IReadOnlyList<AccessDescriptor>> sighted;
        lock (_gate)
        {
            versions = [.. _versions];
            sighted = _sighted.ToDictionary(x => x.Key, x => (IReadOnlyList<AccessDescriptor>)[.. x.Value], StringComparer.Ordinal);
            _versions.Clear();
            _sighted.Clear();
        }
        if (versions.Count > 0 || sighted.Count > 0)
        {
            await grains.GetGrain<ILifecycleGrain>(0).TouchedAsync(versions, sighted);
        }
    }
}
