using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// Alias → canonical observable ids (see <see cref="IAliasRegistryGrain"/>): a stateless worker on the calling silo
/// that sends each lookup and registration to the hash partitions of the alias ids (<see cref="IndexPartitioning"/>
/// over <c>Index:Partitions</c>), one call per touched partition, in parallel.
/// </summary>
[StatelessWorker]
[Reentrant] // no state of its own: interleaving is safe, and without it concurrent ingests would queue behind one call per activation
[GrainType("aliasrouter")] // "aliasregistry" names the single registry of before, which Indexing/LegacyIndexGrains reads
public sealed class AliasRegistryGrain(IOptions<IndexOptions> options) : Grain, IAliasRegistryGrain
{
    readonly int _partitions = options.Value.Partitions;

    public async Task RegisterAsync(IReadOnlyDictionary<string, string> aliasToCanonical)
    {
        var calls = aliasToCanonical.Where(x => x.Key != x.Value)
            .GroupBy(x => IndexPartitioning.PartitionOf(x.Key, _partitions))
            .Select(g => Partition(g.Key).RegisterAsync([.. g.Select(x => new AliasRecord(x.Key, x.Value))]));
        await Task.WhenAll(calls);
    }

    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyList<string> ids)
    {
        var answers = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal)
            .GroupBy(id => IndexPartitioning.PartitionOf(id, _partitions))
            .Select(g => Partition(g.Key).ResolveAsync([.. g])));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, canonical) in answers.SelectMany(a => a))
        {
            result[alias] = canonical;
        }
        return result;
    }

    IAliasPartitionGrain Partition(int p) => GrainFactory.GetGrain<IAliasPartitionGrain>(p);
}
