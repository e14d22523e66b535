using System.Globalization;
using Orleans.Concurrency;
using ThreatGraph.Grains.Indexing;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>One alias id and the canonical observable id it stands for.</summary>
[GenerateSerializer, Immutable, Alias("tg.AliasRecord")]
public sealed record AliasRecord([property: Id(0)] string Alias, [property: Id(1)] string Canonical);

/// <summary>One hash partition of the observable alias registry (key 0 … <c>Index:Partitions</c> − 1; reached
/// through <see cref="IAliasRegistryGrain"/>, which routes by <see cref="Index.IndexPartitioning"/>).</summary>
[Alias("tg.IAliasPartitionGrain")]
public interface IAliasPartitionGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task RegisterAsync(IReadOnlyList<AliasRecord> aliases);

    /// <summary>The canonical id of each given id that is an alias here (others left out).</summary>
    [ReadOnly, Alias("Resolve")]
    Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyList<string> ids);
}

/// <summary>Aliases in memory, persisted as a <see cref="SegmentedLog{T}"/> (sealed segments plus a tail): a
/// registration writes its batch, not the partition.</summary>
public sealed class AliasPartitionGrain(
    [PersistentState("aliaspartition", StorageNames.Graph)] IPersistentState<SegmentedLogState<AliasRecord>> state)
    : Grain, IAliasPartitionGrain
{
    public const int SegmentSize = 2048;

    readonly Dictionary<string, string> _canonical = new(StringComparer.Ordinal);
    SegmentedLog<AliasRecord> _log = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var segments = new SegmentStore<AliasRecord>(
            (key, records) => GrainFactory.GetGrain<IAliasSegmentGrain>(key).SealAsync(records),
            key => GrainFactory.GetGrain<IAliasSegmentGrain>(key).GetAsync(),
            key => GrainFactory.GetGrain<IAliasSegmentGrain>(key).ClearAsync());
        _log = new SegmentedLog<AliasRecord>(state, segments, this.GetPrimaryKeyLong().ToString(CultureInfo.InvariantCulture),
            r => r.Alias, SegmentSize);
        foreach (var r in await _log.LoadAsync())
        {
            _canonical[r.Alias] = r.Canonical;
        }
    }

    public async Task RegisterAsync(IReadOnlyList<AliasRecord> aliases)
    {
        var changed = new List<AliasRecord>();
        foreach (var r in aliases)
        {
            if (r.Alias != r.Canonical && (!_canonical.TryGetValue(r.Alias, out var old) || old != r.Canonical))
            {
                _canonical[r.Alias] = r.Canonical;
                changed.Add(r);
            }
        }
        try
        {
            await _log.AppendAsync(changed, _canonical.Count, () => _canonical.Select(x => new AliasRecord(x.Key, x.Value)));
        }
        catch
        {
            DeactivateOnIdle(); // memory is ahead of storage: start again from what storage holds
            throw;
        }
    }

    public Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyList<string> ids)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (_canonical.TryGetValue(id, out var canonical))
            {
                result[id] = canonical;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }
}
