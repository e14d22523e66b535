using System.Globalization;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Indexing;

/// <summary>Persisted state of a <see cref="SegmentedLog{T}"/>: the tail, and which sealed segments precede it.</summary>
[GenerateSerializer, Alias("tg.SegmentedLogState`1")]
public sealed class SegmentedLogState<T>
{
    /// <summary>Records after the sealed segments (fewer than the segment size).</summary>
    [Id(0)] public List<T> Tail { get; set; } = [];
    /// <summary>How many full segments of <see cref="Generation"/> precede the tail.</summary>
    [Id(1)] public int Segments { get; set; }
    /// <summary>Bumped by each compaction: a compaction writes a new generation of segments, then switches to it.</summary>
    [Id(2)] public int Generation { get; set; }
}

/// <summary>Where a log's sealed segments live (segment grains, written once and read back on activation).</summary>
public sealed record SegmentStore<T>(
    Func<string, IReadOnlyList<T>, Task> Seal,
    Func<string, Task<IReadOnlyList<T>>> Read,
    Func<string, Task> Clear);

/// <summary>
/// Keyed records persisted so that a write costs the batch, not everything held (the shape of
/// <c>Taxii/TaxiiCollectionLogGrain</c>): full segments of <c>segmentSize</c> records are sealed once into segment
/// grains (<c>{owner}/{generation}/{n}</c>) and never rewritten; the owning grain's own state is the short tail,
/// rewritten with each batch. A record whose key is in the tail replaces it there; one whose key is in a sealed
/// segment is appended, superseding the sealed one. When superseded records are as many as the live ones (and at
/// least a segment), the append compacts: the live records are written as a new generation of segments, the state
/// switches to it, then the old generation is cleared. A compaction rewrites the live records once per as many
/// superseded ones, so the cost stays proportional to the writes. A crash before the switch leaves segments that the
/// next compaction overwrites (same keys); one after it leaves old segments that nothing reads.
/// </summary>
public sealed class SegmentedLog<T>(IPersistentState<SegmentedLogState<T>> state, SegmentStore<T> store, string owner,
    Func<T, string> keyOf, int segmentSize)
{
    /// <summary>Segment reads and writes in flight at once (activation, compaction).</summary>
    const int Parallelism = 16;

    readonly Dictionary<string, int> _tailPosition = new(StringComparer.Ordinal);
    int _sealedRecords;

    /// <summary>Records held in storage (sealed and tail), superseded ones included.</summary>
    public int StoredRecords => _sealedRecords + state.State.Tail.Count;

    /// <summary>Every stored record, sealed segments first, in the order written (a later record supersedes an
    /// earlier one of the same key). Segments are read in parallel.</summary>
    public async Task<IReadOnlyList<T>> LoadAsync()
    {
        var s = state.State;
        var segments = new IReadOnlyList<T>[s.Segments];
        await BoundedParallel.ForEachAsync(Enumerable.Range(0, s.Segments), Parallelism,
            async i => segments[i] = await store.Read(KeyOf(s.Generation, i)));
        var all = new List<T>(segments.Sum(x => x.Count) + s.Tail.Count);
        foreach (var segment in segments)
        {
            all.AddRange(segment);
        }
        _sealedRecords = all.Count;
        all.AddRange(s.Tail);
        IndexTail();
        return all;
    }

    /// <summary>Persists <paramref name="changed"/> (records that replace or add to what the owner holds, which now
    /// holds <paramref name="liveCount"/> keys); <paramref name="live"/> lists them when a compaction is due.</summary>
    public async Task AppendAsync(IReadOnlyList<T> changed, int liveCount, Func<IEnumerable<T>> live)
    {
        if (changed.Count == 0)
        {
            return;
        }
        var tail = state.State.Tail;
        foreach (var record in changed)
        {
            var key = keyOf(record);
            if (_tailPosition.TryGetValue(key, out var at))
            {
                tail[at] = record;
            }
            else
            {
                _tailPosition[key] = tail.Count;
                tail.Add(record);
            }
        }
        if (StoredRecords - liveCount >= Math.Max(liveCount, segmentSize))
        {
            await CompactAsync([.. live()]);
            return;
        }
        await SealFullSegmentsAsync();
        await state.WriteStateAsync();
    }

    /// <summary>Moves full segments out of the tail; each is written before the tail forgets it (a crash in between
    /// leaves a segment that the next seal of the same number overwrites).</summary>
    async Task SealFullSegmentsAsync()
    {
        var s = state.State;
        if (s.Tail.Count < segmentSize)
        {
            return;
        }
        while (s.Tail.Count >= segmentSize)
        {
            await store.Seal(KeyOf(s.Generation, s.Segments), s.Tail.GetRange(0, segmentSize));
            s.Tail.RemoveRange(0, segmentSize);
            s.Segments++;
            _sealedRecords += segmentSize;
        }
        IndexTail();
    }

    async Task CompactAsync(List<T> live)
    {
        var s = state.State;
        var (oldGeneration, oldSegments) = (s.Generation, s.Segments);
        var generation = oldGeneration + 1;
        var full = live.Count / segmentSize;
        await BoundedParallel.ForEachAsync(Enumerable.Range(0, full), Parallelism,
            i => store.Seal(KeyOf(generation, i), live.GetRange(i * segmentSize, segmentSize)));
        s.Generation = generation;
        s.Segments = full;
        s.Tail = live.GetRange(full * segmentSize, live.Count - full * segmentSize);
        _sealedRecords = full * segmentSize;
        IndexTail();
        await state.WriteStateAsync();
        await BoundedParallel.ForEachAsync(Enumerable.Range(0, oldSegments), Parallelism, i => store.Clear(KeyOf(oldGeneration, i)));
    }

    void IndexTail()
    {
        _tailPosition.Clear();
        var tail = state.State.Tail;
        for (var i = 0; i < tail.Count; i++)
        {
            _tailPosition[keyOf(tail[i])] = i;
        }
    }

    string KeyOf(int generation, int segment) =>
        string.Create(CultureInfo.InvariantCulture, $"{owner}/{generation}/{segment}");
}
