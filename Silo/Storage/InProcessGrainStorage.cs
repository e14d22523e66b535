using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// Volatile grain storage for the one-process mode: a deep copy of each grain's state in a concurrent dictionary of
/// this process, with ETag checks like a real store. Orleans' own memory storage sends every read and write through
/// a handful of storage grains, which serialises ingest behind them; this one is a dictionary operation plus a copy.
/// The copy (Orleans <see cref="DeepCopier"/>, honouring [Immutable]) keeps the stored state apart from the
/// activation's, so a grain that changes its state and then fails to write does not change what is stored.
/// </summary>
public sealed class InProcessGrainStorage(DeepCopier copier) : IGrainStorage
{
    readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();
    long _version;

    public int Count => _entries.Count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = copier.Copy((T)entry.State);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var next = new Entry(copier.Copy(grainState.State)!, NextETag());
        if (grainState.ETag is null)
        {
            if (!_entries.TryAdd(key, next))
            {
                throw Conflict(stateName, grainId, grainState.ETag, _entries.TryGetValue(key, out var now) ? now.ETag : null);
            }
        }
        else if (!_entries.TryGetValue(key, out var current) || current.ETag != grainState.ETag || !_entries.TryUpdate(key, next, current))
        {
            throw Conflict(stateName, grainId, grainState.ETag, _entries.TryGetValue(key, out var now) ? now.ETag : null);
        }
        grainState.ETag = next.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        if (_entries.TryGetValue(key, out var current))
        {
            if (current.ETag != grainState.ETag || !_entries.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, current)))
            {
                throw Conflict(stateName, grainId, grainState.ETag, current.ETag);
            }
        }
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    string NextETag() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);

    static InconsistentStateException Conflict(string stateName, GrainId grainId, string? expected, string? stored) =>
        new($"ETag conflict writing {stateName} of {grainId}", stored ?? "(none)", expected ?? "(none)");

    /// <summary>Reference equality on purpose: TryUpdate compares the entry that was read.</summary>
    sealed class Entry(object state, string eTag)
    {
        public object State { get; } = state;
        public string ETag { get; } = eTag;
    }
}
