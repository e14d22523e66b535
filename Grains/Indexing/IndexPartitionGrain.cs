using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Indexing;

/// <summary>
/// One hash partition of the search index (see <see cref="IIndexPartitionGrain"/>): in memory, the newest entry of
/// each id, by type and then id (<see cref="IndexOrder"/>); in storage, a <see cref="SegmentedLog{T}"/> of entries
/// (sealed segments of <see cref="SegmentSize"/> plus a tail), so a write costs its batch, not the partition.
/// Counts and search answer for the caller in <see cref="CallerContext"/>: what it may not see is not counted.
/// </summary>
public sealed class IndexPartitionGrain(
    [PersistentState("indexpartition", StorageNames.Graph)] IPersistentState<SegmentedLogState<IndexEntry>> state)
    : Grain, IIndexPartitionGrain
{
    public const int SegmentSize = 512;

    readonly Dictionary<string, IndexEntry> _byId = new(StringComparer.Ordinal);
    readonly SortedDictionary<string, SortedDictionary<string, IndexEntry>> _byType = new(StringComparer.Ordinal);
    SegmentedLog<IndexEntry> _log = null!;
    AccessPolicy? _policy;
    AccessPolicy Policy => _policy ??= ServiceProvider.GetRequiredService<AccessPolicy>();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var segments = new SegmentStore<IndexEntry>(
            (key, entries) => GrainFactory.GetGrain<IIndexSegmentGrain>(key).SealAsync(entries),
            key => GrainFactory.GetGrain<IIndexSegmentGrain>(key).GetAsync(),
            key => GrainFactory.GetGrain<IIndexSegmentGrain>(key).ClearAsync());
        var owner = this.GetPrimaryKeyLong().ToString(CultureInfo.InvariantCulture);
        _log = new SegmentedLog<IndexEntry>(state, segments, owner, e => e.Id, SegmentSize);
        foreach (var e in await _log.LoadAsync())
        {
            Apply(e);
        }
    }

    public async Task UpsertAsync(IReadOnlyList<IndexEntry> entries)
    {
        var changed = entries.Where(Apply).ToList();
        try
        {
            await _log.AppendAsync(changed, _byId.Count, () => _byId.Values);
        }
        catch
        {
            // Memory is ahead of storage: start again from what storage holds (the ingest fails and is re-sent).
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Keeps the node's newest account: an older revision arriving late (concurrent ingests) is ignored. The
    /// same revision replaces only when its keys differ (an entry migrated from before keys existed, or keys extracted
    /// by a newer version): an unchanged object sent again then brings its keys, and otherwise writes nothing.</summary>
    bool Apply(IndexEntry e)
    {
        if (_byId.TryGetValue(e.Id, out var held) && (held.Revision > e.Revision || (held.Revision == e.Revision && SameKeys(held, e))))
        {
            return false;
        }
        _byId[e.Id] = e;
        var type = IndexOrder.TypeOf(e.Id).ToString();
        if (!_byType.TryGetValue(type, out var bucket))
        {
            _byType[type] = bucket = new(StringComparer.Ordinal);
        }
        bucket[e.Id] = e;
        return true;
    }

    static bool SameKeys(IndexEntry a, IndexEntry b)
    {
        if (a.Reports.Count != b.Reports.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Reports.Count; i++)
        {
            if (!(a.Reports[i].Keys ?? []).SequenceEqual(b.Reports[i].Keys ?? [], StringComparer.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public Task<IndexSlice> SearchAsync(IndexQuery query)
    {
        var caller = CallerContext.Current;
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text;
        var key = text?.Trim();
        var take = Math.Max(0, query.Take);
        var ids = new List<string>();
        int total = 0, before = 0;
        foreach (var bucket in Buckets(query.Types))
        {
            foreach (var e in bucket.Values)
            {
                if (!Counts(e, caller, query.IncludeRevoked, text, key))
                {
                    continue;
                }
                total++;
                if (query.AfterId is not null && IndexOrder.Instance.Compare(e.Id, query.AfterId) <= 0)
                {
                    before++;
                }
                else if (ids.Count < take)
                {
                    ids.Add(e.Id);
                }
            }
        }
        return Task.FromResult(new IndexSlice(ids, total, before));
    }

    public Task<IReadOnlyList<IndexTypeCount>> TypeCountsAsync(bool includeRevoked)
    {
        var caller = CallerContext.Current;
        var counts = new List<IndexTypeCount>();
        foreach (var (type, bucket) in _byType)
        {
            var n = bucket.Values.Count(e => Counts(e, caller, includeRevoked, null, null));
            if (n > 0)
            {
                counts.Add(new IndexTypeCount(type, n));
            }
        }
        return Task.FromResult<IReadOnlyList<IndexTypeCount>>(counts);
    }

    IEnumerable<SortedDictionary<string, IndexEntry>> Buckets(IReadOnlyList<string>? types) =>
        types is null or { Count: 0 } ? _byType.Values
            : types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(t => _byType.GetValueOrDefault(t)).OfType<SortedDictionary<string, IndexEntry>>();

    /// <summary>
    /// Whether an entry counts for the caller: its endpoints (a relationship's, a sighting's) are all visible, and a
    /// report the caller may see is live (or revoked ones are asked for) — so an object is revoked for a caller when
    /// every report it may see is (another organisation's revocation of its own report of a shared observable does not
    /// hide the others'). With a text, it must also match the id, or the name or an exact key of such a report: a
    /// hidden report's name and keys are never searched.
    /// </summary>
    bool Counts(IndexEntry e, CallerIdentity caller, bool includeRevoked, string? text, string? key)
    {
        if (e.Endpoints is { } endpoints && !endpoints.All(x => AccessSummary.Admits(Policy, caller, x)))
        {
            return false;
        }
        var counted = false;
        var matched = text is null || e.Id.Contains(text, StringComparison.OrdinalIgnoreCase);
        foreach (var r in e.Reports)
        {
            if ((r.Revoked && !includeRevoked) || !(caller.IsSystem || Policy.CanSee(caller, r.Access)))
            {
                continue;
            }
            counted = true;
            matched = matched
                || (r.Name?.Contains(text!, StringComparison.OrdinalIgnoreCase) ?? false)
                || (r.Keys?.Any(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? false);
            if (matched)
            {
                return true;
            }
        }
        return counted && matched;
    }
}
