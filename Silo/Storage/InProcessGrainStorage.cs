using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// Volatile grain storage for the one-process mode: each grain's state as the bytes of the Orleans binary serializer
/// (the serializer azure mode stores with) in a concurrent dictionary of this process, with ETag checks like a real
/// store. Orleans' own memory storage sends every read and write through a handful of storage grains, which
/// serialises ingest behind them; this one is a dictionary operation plus a serialization.
/// Bytes rather than a deep copy of the state: no second copy of the activation's mutable containers lives here
/// (a byte array is a fraction of the object graph it encodes, and one object for the collector), a grain that
/// changes its state and then fails to write does not change what is stored, and a read gives a fresh state as
/// storage would, which also keeps state types honest about being serializable before they meet Azure.
/// </summary>
public sealed class InProcessGrainStorage(Serializer serializer) : IGrainStorage
{
    readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();
    readonly OrleansGrainStorageSerializer _serializer = new(serializer);
    long _version;

    public int Count => _entries.Count;

    /// <summary>Bytes held for all states (serialized sizes).</summary>
    public long Bytes => _entries.Values.Sum(e => (long)e.Data.Length);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = _serializer.Deserialize<T>(new BinaryData(entry.Data));
            grainState.ETag = ETagOf(entry.Version);
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
        var next = new Entry(_serializer.Serialize(grainState.State).ToArray(), Interlocked.Increment(ref _version));
        if (grainState.ETag is null)
        {
            if (!_entries.TryAdd(key, next))
            {
                throw Conflict(stateName, grainId, grainState.ETag, StoredETag(key));
            }
        }
        else if (!_entries.TryGetValue(key, out var current) || ETagOf(current.Version) != grainState.ETag || !_entries.TryUpdate(key, next, current))
        {
            throw Conflict(stateName, grainId, grainState.ETag, StoredETag(key));
        }
        grainState.ETag = ETagOf(next.Version);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        if (_entries.TryGetValue(key, out var current))
        {
            if (ETagOf(current.Version) != grainState.ETag || !_entries.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, current)))
            {
                throw Conflict(stateName, grainId, grainState.ETag, ETagOf(current.Version));
            }
        }
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    string? StoredETag((string, GrainId) key) => _entries.TryGetValue(key, out var now) ? ETagOf(now.Version) : null;

    static InconsistentStateException Conflict(string stateName, GrainId grainId, string? expected, string? stored) =>
        new($"ETag conflict writing {stateName} of {grainId}", stored ?? "(none)", expected ?? "(none)");

    /// <summary>The stored bytes and their version (the ETag). Equality is the array's reference and the version, so
    /// TryUpdate and TryRemove succeed only on the entry that was read.</summary>
    readonly record struct Entry(byte[] Data, long Version);
}
