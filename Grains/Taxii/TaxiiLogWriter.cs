using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Taxii;

/// <summary>
/// Appends versions to a collection log: grouped by partition, one call per touched partition, all in parallel.
/// <para><b>Group commit.</b> Each silo keeps at most one append call in flight per partition: versions that arrive for
/// a partition while its call is out wait and go together in the next one, so a partition gets one storage write per
/// round trip from each silo however many ingests run at once (a rank of 50 objects touches all 8 partitions; without
/// this, 16 concurrent ingests meant 128 writes where 8 do). A caller's task completes when the call carrying its
/// versions has been written, so ingest still answers only after its versions are durable.</para>
/// <para><b>Order.</b> Each version carries a proposed date_added from this process's proposal clock — consecutive,
/// <c>partitions</c> microseconds apart, after every proposal and every answer before — so that one ingest's versions
/// keep their order across partitions (a partition takes a proposal when it is above its own floor and within
/// <see cref="TaxiiLogClock.MaxAhead"/> of its clock; the order is a courtesy, the watermark does not depend on it).</para>
/// </summary>
public sealed class TaxiiLogWriter(IOptions<TaxiiLogOptions> options, TimeProvider time)
{
    /// <summary>Most versions one append call carries (more waiting requests go in the next call).</summary>
    public const int MaxVersionsPerCall = 5_000;

    readonly Lock _gate = new();
    readonly ConcurrentDictionary<string, Outbox> _outboxes = new(StringComparer.Ordinal);
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
        await Task.WhenAll(versions
            .Select((v, k) => v with { Proposed = new DateTimeOffset((start + (long)k * n) * 10, TimeSpan.Zero) })
            .GroupBy(v => TaxiiLogPartitioning.PartitionOf(v.Id, n))
            .Select(g => Send(grains, TaxiiLogPartitioning.KeyOf(collectionId, n, g.Key), [.. g])));
    }

    Task Send(IGrainFactory grains, string partition, TaxiiLogAppend[] versions)
    {
        var outbox = _outboxes.GetOrAdd(partition, _ => new Outbox());
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (outbox)
        {
            outbox.Waiting.Add((versions, done));
            start = !outbox.Sending;
            outbox.Sending = true;
        }
        if (start)
        {
            // Off the calling grain's scheduler: the sender outlives the turn (and the activation) that started it.
            _ = Task.Run(() => DrainAsync(grains, partition, outbox));
        }
        return done.Task;
    }

    async Task DrainAsync(IGrainFactory grains, string partition, Outbox outbox)
    {
        RequestContext.Clear(); // the calls carry many requests' versions, not the first caller's context
        var grain = grains.GetGrain<ITaxiiLogPartitionGrain>(partition);
        while (true)
        {
            var batch = new List<(TaxiiLogAppend[] Versions, TaskCompletionSource Done)>();
            lock (outbox)
            {
                if (outbox.Waiting.Count == 0)
                {
                    outbox.Sending = false;
                    return;
                }
                // Whole requests, up to MaxVersionsPerCall (at least one): bounded messages and turns.
                var versions = 0;
                var taken = 0;
                while (taken < outbox.Waiting.Count && (taken == 0 || versions + outbox.Waiting[taken].Versions.Length <= MaxVersionsPerCall))
                {
                    versions += outbox.Waiting[taken].Versions.Length;
                    batch.Add(outbox.Waiting[taken++]);
                }
                outbox.Waiting.RemoveRange(0, taken);
            }
            try
            {
                var floor = await grain.AppendAsync([.. batch.SelectMany(b => b.Versions)]);
                lock (_gate)
                {
                    _next = Math.Max(_next, TaxiiLogClock.Micros(floor) + 1);
                }
                batch.ForEach(b => b.Done.SetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(b => b.Done.SetException(e));
            }
        }
    }

    /// <summary>The versions waiting for one partition, and whether a call to it is out.</summary>
    sealed class Outbox
    {
        public List<(TaxiiLogAppend[] Versions, TaskCompletionSource Done)> Waiting { get; set; } = [];
        public bool Sending { get; set; }
    }
}
