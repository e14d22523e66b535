using Microsoft.Extensions.Options;

namespace ThreatGraph.Grains.Taxii;

/// <summary>
/// Appends versions to a collection log: grouped by partition, one call per touched partition, all in parallel. Each
/// version carries a proposed date_added from this process's proposal clock — consecutive, <c>partitions</c>
/// microseconds apart, after every proposal and every answer before — so that one ingest's versions keep their order
/// across partitions (a partition takes a proposal when it is above its own floor and within
/// <see cref="TaxiiLogClock.MaxAhead"/> of its clock; the order is a courtesy, the watermark does not depend on it).
/// </summary>
public sealed class TaxiiLogWriter(IOptions<TaxiiLogOptions> options, TimeProvider time)
{
    readonly Lock _gate = new();
    long _next;

    public int Partitions { get; } = options.Value.LogPartitions;

    public async Task AppendAsync(IGrainFactory grains, string collectionId, IReadOnlyList<TaxiiLogAppend> versions)
    {
        if (versions.Count == 0)
        {
            return;
        }
        var n = Partitions;
        long start;
        lock (_gate)
        {
            start = Math.Max(TaxiiLogClock.Micros(time.GetUtcNow()), _next);
            _next = start + (long)versions.Count * n;
        }
        var groups = versions
            .Select((v, k) => v with { Proposed = new DateTimeOffset((start + (long)k * n) * 10, TimeSpan.Zero) })
            .GroupBy(v => TaxiiLogPartitioning.PartitionOf(v.Id, n))
            .ToList();
        var floors = await Task.WhenAll(groups.Select(g =>
            grains.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(collectionId, n, g.Key)).AppendAsync([.. g])));
        lock (_gate)
        {
            _next = Math.Max(_next, floors.Max(TaxiiLogClock.Micros) + 1);
        }
    }
}
