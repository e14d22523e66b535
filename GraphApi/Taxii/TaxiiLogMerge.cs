using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>A merged page: the items kept, whether one more item exists now, and the positions to continue from.</summary>
public sealed record MergedPage<T>(IReadOnlyList<T> Items, bool More, IReadOnlyList<long>? Next);

/// <summary>
/// Reads a partitioned collection log as one log in date_added order (README "TAXII 2.1"). Each partition answers the
/// entries that match after its position and how far that answer is complete (<see cref="TaxiiLogPage.CompleteThrough"/>:
/// its safe time when it reached its end). The <b>watermark</b> is the minimum of those over the partitions read, and
/// only entries at or below it are served: no partition can still append an entry at or below it, so a reader that
/// comes back with <c>added_after</c> = the last date_added served (federation's checkpoint) cannot skip one. Entries
/// above the watermark wait; the partitions behind them are asked to catch up to them (a raise, granted a little
/// ahead of their clocks, after a lease renewal when needed), twice at most per page.
/// Ties cannot happen (partitions assign disjoint microseconds, <see cref="TaxiiLogClock"/>); equal date_added would
/// be ordered by partition.
/// </summary>
public sealed class TaxiiLogMerge(IGrainFactory grains, int partitions)
{
    /// <summary>Rounds of asking lagging partitions to catch up, per page.</summary>
    const int MaxRaises = 2;

    public int Partitions => partitions;

    /// <param name="select">Turns a run of entries (in merged order) into the items served, null for an entry the
    /// caller may not see; it decides nothing about order or paging.</param>
    public async Task<MergedPage<T>> ReadAsync<T>(string collectionId, TaxiiFilter filter,
        Func<IReadOnlyList<TaxiiLogEntry>, Task<IReadOnlyList<T?>>> select, CancellationToken cancel) where T : class
    {
        // Every version of an id is in its id's partition: match[id] reads only those.
        IEnumerable<int> involved = filter.Ids is { Count: > 0 } ids
            ? ids.Select(id => TaxiiLogPartitioning.PartitionOf(id, partitions)).Distinct().Order()
            : Enumerable.Range(0, partitions);
        var scans = involved.Select(i => new Scan(i,
            grains.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(collectionId, partitions, i)), filter.Positions[i])).ToList();
        var want = filter.Limit + 1; // one more than the page proves there is more
        await FetchAsync(scans, filter, scans.Count == 1 ? want : want / scans.Count + want / (2 * scans.Count) + 8, null);

        var taken = new List<Scan>(); // the scan of each entry consumed, in merged order
        var kept = new List<(T Item, int Order)>();
        var raises = 0;
        while (kept.Count < want)
        {
            cancel.ThrowIfCancellationRequested();
            var watermark = scans.Min(s => s.CompleteThrough);
            var batch = new List<(Scan Scan, TaxiiLogEntry Entry)>();
            while (batch.Count < want - kept.Count && Head(scans, watermark) is { } head)
            {
                batch.Add((head, head.Fetched[head.Taken++]));
            }
            if (batch.Count > 0)
            {
                var selected = await select([.. batch.Select(b => b.Entry)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (kept.Count == want)
                    {
                        batch[i].Scan.Taken--; // not consumed: the next page reads it again
                        continue;
                    }
                    taken.Add(batch[i].Scan);
                    if (selected[i] is { } item)
                    {
                        kept.Add((item, taken.Count - 1));
                    }
                }
                continue;
            }

            // Nothing at or below the watermark is left. A partition that holds it down without having reached its end
            // is read further.
            var starved = scans.Where(s => s.Taken == s.Fetched.Count && !s.AtEnd && s.CompleteThrough <= watermark).ToList();
            if (starved.Count > 0)
            {
                await FetchAsync(starved, filter, Math.Max(16, want - kept.Count), null);
                continue;
            }
            // Entries wait above the watermark (or unread ones beyond it): the partitions behind them are asked to catch up.
            var waiting = scans.Where(s => s.Taken < s.Fetched.Count || !s.AtEnd).ToList();
            if (waiting.Count == 0 || raises++ == MaxRaises)
            {
                break;
            }
            var target = waiting.Max(s => s.Taken < s.Fetched.Count ? s.Fetched[^1].DateAdded : s.CompleteThrough);
            var behind = scans.Where(s => s.CompleteThrough < target).ToList();
            await FetchAsync(behind, filter, Math.Max(16, want - kept.Count), target);
            var leaseShort = behind.Where(s => s.LeaseShort && s.CompleteThrough < target).ToList();
            if (leaseShort.Count > 0)
            {
                await Task.WhenAll(leaseShort.Select(s => s.Grain.RenewAsync(target)));
                await FetchAsync(leaseShort, filter, Math.Max(16, want - kept.Count), target);
            }
        }

        var more = kept.Count == want;
        var items = kept.Take(filter.Limit).Select(k => k.Item).ToList();
        return new MergedPage<T>(items, more, more ? Positions(filter, scans, taken, kept[filter.Limit - 1].Order) : null);
    }

    /// <summary>Where each partition continues after the page's last item (merged order <paramref name="cut"/>): before
    /// its first matching entry not consumed by then, else after everything it examined (the rest did not match).</summary>
    static long[] Positions(TaxiiFilter filter, List<Scan> scans, List<Scan> taken, int cut)
    {
        var positions = filter.Positions.ToArray();
        var consumed = new Dictionary<Scan, int>();
        for (var i = 0; i <= cut; i++)
        {
            consumed[taken[i]] = consumed.GetValueOrDefault(taken[i]) + 1;
        }
        foreach (var s in scans)
        {
            var n = consumed.GetValueOrDefault(s);
            positions[s.Index] = n < s.Fetched.Count ? s.Fetched[n].Seq - 1 : s.ScannedTo;
        }
        return positions;
    }

    /// <summary>The scan whose next entry comes first (date_added, then partition), among those at or below the watermark.</summary>
    static Scan? Head(List<Scan> scans, DateTimeOffset watermark)
    {
        Scan? best = null;
        foreach (var s in scans)
        {
            if (s.Taken < s.Fetched.Count && s.Fetched[s.Taken].DateAdded <= watermark
                && (best is null || s.Fetched[s.Taken].DateAdded < best.Fetched[best.Taken].DateAdded))
            {
                best = s;
            }
        }
        return best;
    }

    static async Task FetchAsync(List<Scan> scans, TaxiiFilter filter, int take, DateTimeOffset? raiseTo)
    {
        var pages = await Task.WhenAll(scans.Select(s => s.Grain.ReadAsync(filter.ToLogQuery(s.ScannedTo, take, raiseTo))));
        for (var i = 0; i < scans.Count; i++)
        {
            var (s, page) = (scans[i], pages[i]);
            s.Fetched.AddRange(page.Entries);
            s.ScannedTo = page.ScannedTo;
            s.AtEnd = page.AtEnd;
            s.CompleteThrough = page.CompleteThrough;
            s.LeaseShort = page.LeaseShort;
        }
    }

    /// <summary>One partition as this page reads it: what was fetched, how much of it was consumed, how far it was read.</summary>
    sealed class Scan(int index, ITaxiiLogPartitionGrain grain, long position)
    {
        public int Index { get; } = index;
        public ITaxiiLogPartitionGrain Grain { get; } = grain;
        public List<TaxiiLogEntry> Fetched { get; } = [];
        public int Taken { get; set; }
        public long ScannedTo { get; set; } = position;
        public bool AtEnd { get; set; }
        public DateTimeOffset CompleteThrough { get; set; }
        public bool LeaseShort { get; set; }
    }
}
