using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Stix;

namespace ThreatGraph.Grains.Taxii;

[GenerateSerializer, Alias("tg.TaxiiCollectionLogState")]
public sealed class TaxiiCollectionLogState
{
    /// <summary>The entries after the sealed segments (the whole log in states written before segments existed).</summary>
    [Id(0)] public List<TaxiiLogEntry> Entries { get; set; } = [];
    /// <summary>How many full segments (<see cref="TaxiiCollectionLogGrain.SegmentSize"/> entries each) precede them.</summary>
    [Id(1)] public int SealedSegments { get; set; }
}

/// <summary>
/// The arrival log of one TAXII collection. date_added is strictly increasing along the log (a clock tick that would
/// not advance it is bumped by one microsecond), so <c>added_after</c> and the position cursor agree, and an append
/// can never land before a position a reader has already passed. Access is not decided here: the gateway asks the
/// node grains (see README "TAXII 2.1").
/// Persistence is segmented: every <see cref="SegmentSize"/> entries are sealed once into a
/// <see cref="ITaxiiLogSegmentGrain"/>, and an append rewrites only the tail, not the whole log (on Azure storage the
/// whole log would be one blob rewritten per append). The log is read back whole on activation.
/// </summary>
public sealed class TaxiiCollectionLogGrain(
    [PersistentState("taxiilog", StorageNames.Graph)] IPersistentState<TaxiiCollectionLogState> state) : Grain, ITaxiiCollectionLogGrain
{
    public const int SegmentSize = 5_000;

    /// <summary>Every entry, sealed segments first: what reads use.</summary>
    readonly List<TaxiiLogEntry> _entries = [];
    /// <summary>Positions (0-based) of each id's versions; rebuilt on activation rather than stored.</summary>
    readonly Dictionary<string, List<int>> _byId = new(StringComparer.Ordinal);
    TimeProvider _clock = TimeProvider.System;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _clock = ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        var collection = this.GetPrimaryKeyString();
        for (var i = 0; i < state.State.SealedSegments; i++)
        {
            _entries.AddRange(await GrainFactory.GetGrain<ITaxiiLogSegmentGrain>(ITaxiiLogSegmentGrain.KeyOf(collection, i)).GetAsync());
        }
        _entries.AddRange(state.State.Entries);
        for (var i = 0; i < _entries.Count; i++)
        {
            PositionsOf(_entries[i].Id).Add(i);
        }
    }

    public async Task AppendAsync(IReadOnlyList<TaxiiLogAppend> versions)
    {
        var entries = _entries;
        var changed = false;
        foreach (var v in versions)
        {
            var positions = PositionsOf(v.Id);
            if (positions.Any(p => entries[p].ContentHash == v.ContentHash))
            {
                continue;
            }
            var now = TaxiiTimestamp.ToMicroseconds(_clock.GetUtcNow());
            if (entries.Count > 0 && now <= entries[^1].DateAdded)
            {
                now = entries[^1].DateAdded.AddTicks(10);
            }
            positions.Add(entries.Count);
            var entry = new TaxiiLogEntry(entries.Count + 1, v.Id, v.Type, v.Version ?? TaxiiTimestamp.Format(now),
                v.VersionStamp ?? now, v.SpecVersion, v.ContentHash, now);
            entries.Add(entry);
            state.State.Entries.Add(entry);
            changed = true;
        }
        if (changed)
        {
            await SealFullSegmentsAsync();
            await state.WriteStateAsync();
        }
    }

    /// <summary>Moves full segments out of the tail. Each segment is written before the tail forgets it: a crash in
    /// between leaves a segment that the next seal of the same number overwrites.</summary>
    async Task SealFullSegmentsAsync()
    {
        var tail = state.State.Entries;
        while (tail.Count >= SegmentSize)
        {
            var key = ITaxiiLogSegmentGrain.KeyOf(this.GetPrimaryKeyString(), state.State.SealedSegments);
            await GrainFactory.GetGrain<ITaxiiLogSegmentGrain>(key).SealAsync(tail.GetRange(0, SegmentSize));
            tail.RemoveRange(0, SegmentSize);
            state.State.SealedSegments++;
        }
    }

    public Task<long> CountAsync() => Task.FromResult((long)_entries.Count);

    public Task<TaxiiLogPage> ReadAsync(TaxiiLogQuery query)
    {
        var entries = _entries;
        var start = (int)Math.Clamp(query.AfterSeq, 0, entries.Count);
        if (query.AddedAfter is { } after)
        {
            start = Math.Max(start, FirstAddedAfter(entries, after));
        }
        var versions = VersionMatch.Parse(query.Versions);
        IEnumerable<int> candidates = query.Ids is { Count: > 0 } ids
            ? ids.Distinct(StringComparer.Ordinal).SelectMany(id => _byId.TryGetValue(id, out var p) ? p : []).Where(p => p >= start).Order()
            : Enumerable.Range(start, entries.Count - start);

        var hits = new List<TaxiiLogEntry>();
        var take = Math.Max(1, query.Take);
        long scannedTo = start;
        var scanned = 0;
        var stoppedEarly = false;
        foreach (var p in candidates)
        {
            if (hits.Count >= take || scanned >= query.MaxScan)
            {
                stoppedEarly = true;
                break;
            }
            scanned++;
            scannedTo = p + 1;
            var e = entries[p];
            if (query.Types is { Count: > 0 } types && !types.Contains(e.Type))
            {
                continue;
            }
            if (query.SpecVersions is { Count: > 0 } specs && !specs.Contains(e.SpecVersion ?? SpecVersionOf(e)))
            {
                continue;
            }
            if (!versions.Matches(e, p, _byId[e.Id], entries))
            {
                continue;
            }
            hits.Add(e);
        }
        if (!stoppedEarly)
        {
            scannedTo = entries.Count; // every later position was examined (or could not match the ids)
        }
        return Task.FromResult(new TaxiiLogPage(hits, scannedTo, scannedTo >= entries.Count));
    }

    /// <summary>TAXII: an object without spec_version is STIX 2.0 content, except SCOs, for which 2.1 lets it be absent.</summary>
    static string SpecVersionOf(TaxiiLogEntry e) => StixTypes.IsObservable(e.Type) ? "2.1" : "2.0";

    static int FirstAddedAfter(List<TaxiiLogEntry> entries, DateTimeOffset after)
    {
        int lo = 0, hi = entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (entries[mid].DateAdded > after) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    List<int> PositionsOf(string id)
    {
        if (!_byId.TryGetValue(id, out var positions))
        {
            _byId[id] = positions = [];
        }
        return positions;
    }

    /// <summary>match[version]: any of first, last, all, or exact version timestamps.</summary>
    sealed record VersionMatch(bool All, bool First, bool Last, IReadOnlyList<DateTimeOffset> Stamps)
    {
        public static VersionMatch Parse(IReadOnlyList<string>? values)
        {
            if (values is null or { Count: 0 })
            {
                return new(false, false, true, []);
            }
            var stamps = new List<DateTimeOffset>();
            foreach (var v in values)
            {
                if (StixTimestamp.TryParse(v, out var t))
                {
                    stamps.Add(t);
                }
            }
            return new(values.Contains("all"), values.Contains("first"), values.Contains("last"), stamps);
        }

        public bool Matches(TaxiiLogEntry e, int position, List<int> versionsOfId, List<TaxiiLogEntry> entries)
        {
            if (All || Stamps.Contains(e.VersionStamp))
            {
                return true;
            }
            if (First && position == versionsOfId.MinBy(p => (entries[p].VersionStamp, p)))
            {
                return true;
            }
            return Last && position == versionsOfId.MaxBy(p => (entries[p].VersionStamp, p));
        }
    }
}
