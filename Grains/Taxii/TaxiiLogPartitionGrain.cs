using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThreatGraph.Stix;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Taxii;

[GenerateSerializer, Alias("tg.TaxiiLogPartitionState")]
public sealed class TaxiiLogPartitionState
{
    /// <summary>The entries after the sealed segments.</summary>
    [Id(0)] public List<TaxiiLogEntry> Tail { get; set; } = [];
    /// <summary>How many full segments (<see cref="TaxiiLogPartitionGrain.SegmentSize"/> entries each) precede them.</summary>
    [Id(1)] public int SealedSegments { get; set; }
    /// <summary>No activation will ever append at or below this date_added (see <see cref="TaxiiLogClock"/>).</summary>
    [Id(2)] public DateTimeOffset Lease { get; set; }
}

/// <summary>
/// One partition of a TAXII collection's arrival log. date_added is strictly increasing along the partition and comes
/// from its <see cref="TaxiiLogClock"/>, which also answers each read with a safe time (see README "TAXII 2.1"). Access
/// is not decided here: the gateway asks the node grains.
/// Persistence is segmented: every <see cref="SegmentSize"/> entries are sealed once into a
/// <see cref="ITaxiiLogSegmentGrain"/>, and an append rewrites only the tail. The partition is read back whole on
/// activation. A write that fails leaves nothing in memory that storage does not hold (the entries it added are taken
/// back), so a reader is never served an entry a crash could lose.
/// </summary>
public sealed class TaxiiLogPartitionGrain(
    [PersistentState("taxiipartition", StorageNames.Graph)] IPersistentState<TaxiiLogPartitionState> state,
    ILogger<TaxiiLogPartitionGrain> log) : Grain, ITaxiiLogPartitionGrain
{
    public const int SegmentSize = 2_000;

    /// <summary>Every entry, sealed segments first: what reads use.</summary>
    readonly List<TaxiiLogEntry> _entries = [];
    /// <summary>Positions (0-based) of each id's versions; rebuilt on activation rather than stored.</summary>
    readonly Dictionary<string, List<int>> _byId = new(StringComparer.Ordinal);
    TimeProvider _time = TimeProvider.System;
    TaxiiLogClock _clock = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _time = ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        var key = this.GetPrimaryKeyString();
        var (_, count, index) = TaxiiLogPartitioning.Parse(key);
        var segments = await Task.WhenAll(Enumerable.Range(0, state.State.SealedSegments)
            .Select(i => GrainFactory.GetGrain<ITaxiiLogSegmentGrain>(ITaxiiLogSegmentGrain.KeyOf(key, i)).GetAsync()));
        foreach (var segment in segments)
        {
            _entries.AddRange(segment);
        }
        _entries.AddRange(state.State.Tail);
        for (var i = 0; i < _entries.Count; i++)
        {
            PositionsOf(_entries[i].Id).Add(i);
        }
        _clock = new TaxiiLogClock(index, count, _entries.Count > 0 ? _entries[^1].DateAdded : null, state.State.Lease);
    }

    /// <summary>Persists what was promised (or the clock), so that the next activation starts there rather than at the
    /// lease, up to <see cref="TaxiiLogClock.Lease"/> ahead of the clock. Best effort: the stored lease is safe too.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_clock?.LeaseOnDeactivation(state.State.Lease, _time.GetUtcNow()) is { } exact)
        {
            try
            {
                await PersistAsync(0, exact);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "TAXII log partition {Key}: could not store its promise on deactivation", this.GetPrimaryKeyString());
            }
        }
    }

    public async Task<DateTimeOffset> AppendAsync(IReadOnlyList<TaxiiLogAppend> versions)
    {
        var added = 0;
        foreach (var v in versions)
        {
            var positions = PositionsOf(v.Id);
            if (positions.Any(p => _entries[p].ContentHash == v.ContentHash))
            {
                continue;
            }
            var at = _clock.Next(_time.GetUtcNow(), v.Proposed);
            positions.Add(_entries.Count);
            _entries.Add(new TaxiiLogEntry(_entries.Count + 1, v.Id, v.Type, v.Version ?? TaxiiTimestamp.Format(at),
                v.VersionStamp ?? at, v.SpecVersion, v.ContentHash, at));
            added++;
        }
        if (added > 0)
        {
            await PersistAsync(added, null);
        }
        return _clock.Floor;
    }

    public async Task ImportAsync(IReadOnlyList<TaxiiLogEntry> entries)
    {
        var added = 0;
        foreach (var e in entries)
        {
            if (_entries.Count > 0 && e.DateAdded <= _entries[^1].DateAdded)
            {
                continue; // imported before (a migration that stopped half-way and is run again)
            }
            PositionsOf(e.Id).Add(_entries.Count);
            _entries.Add(e with { Seq = _entries.Count + 1 });
            _clock.Imported(e.DateAdded);
            added++;
        }
        if (added > 0)
        {
            await PersistAsync(added, null);
        }
    }

    public async Task RenewAsync(DateTimeOffset target)
    {
        var now = _time.GetUtcNow();
        var wanted = target > now + TaxiiLogClock.MaxAhead ? now + TaxiiLogClock.MaxAhead : target;
        var lease = _clock.LeaseFor(now > wanted ? now : wanted);
        if (lease > state.State.Lease)
        {
            await PersistAsync(0, lease);
        }
    }

    /// <summary>
    /// Writes the last <paramref name="added"/> entries of <see cref="_entries"/> (sealing full segments out of the
    /// tail) and a lease. Each segment is written before the tail forgets it: a crash in between leaves a segment that
    /// the next seal of the same number overwrites. When the write fails, the added entries are taken back out of
    /// memory and the stored state is what it was.
    /// </summary>
    async Task PersistAsync(int added, DateTimeOffset? lease)
    {
        var before = state.State;
        var tail = new List<TaxiiLogEntry>(before.Tail.Count + added);
        tail.AddRange(before.Tail);
        tail.AddRange(_entries.Skip(_entries.Count - added));
        var sealedSegments = before.SealedSegments;
        var now = _time.GetUtcNow();
        var next = new TaxiiLogPartitionState { Lease = lease ?? _clock.LeaseFor(now) };
        try
        {
            var key = this.GetPrimaryKeyString();
            while (tail.Count >= SegmentSize)
            {
                await GrainFactory.GetGrain<ITaxiiLogSegmentGrain>(ITaxiiLogSegmentGrain.KeyOf(key, sealedSegments)).SealAsync(tail.GetRange(0, SegmentSize));
                tail.RemoveRange(0, SegmentSize);
                sealedSegments++;
            }
            next.Tail = tail;
            next.SealedSegments = sealedSegments;
            state.State = next;
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            for (var i = _entries.Count - added; i < _entries.Count; i++)
            {
                var positions = _byId[_entries[i].Id];
                positions.RemoveAt(positions.Count - 1);
            }
            _entries.RemoveRange(_entries.Count - added, added);
            throw;
        }
        _clock.Persisted(next.Lease, _entries.Count > 0 ? _entries[^1].DateAdded : null);
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
        var maxScan = Math.Max(1, query.MaxScan);
        var scanned = 0;
        var stoppedEarly = false;
        foreach (var p in candidates)
        {
            if (hits.Count >= take || scanned >= maxScan)
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
        if (stoppedEarly)
        {
            // Entries are in date_added order: everything up to the last one examined has been seen.
            return Task.FromResult(new TaxiiLogPage(hits, scannedTo, false, entries[(int)scannedTo - 1].DateAdded));
        }
        // Every later position was examined (or could not match the ids): complete up to the safe time, taken in this
        // same turn, so no entry at or below it can be missing from what this call saw.
        var (safe, leaseShort) = _clock.SafeTime(_time.GetUtcNow(), query.RaiseTo);
        var last = entries.Count > 0 ? entries[^1].DateAdded : default;
        return Task.FromResult(new TaxiiLogPage(hits, entries.Count, true, safe > last ? safe : last, leaseShort));
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
