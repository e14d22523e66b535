using ThreatGraph.Contracts.Security;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Lifecycle;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Lifecycle;

/// <summary>Revives and schedules indicators after an ingest (<see cref="ILifecycleGrain"/>). Stateless: it routes to the
/// indicators, correlation and the schedule buckets.</summary>
[StatelessWorker]
[Reentrant] // no state of its own; it only awaits the grains it routes to
public sealed class LifecycleGrain(IOptions<LifecycleOptions> options) : Grain, ILifecycleGrain
{
    const int CallsInFlight = 32;

    public async Task TouchedAsync(IReadOnlyList<string> newVersions, IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>> sighted)
    {
        IReadOnlyList<AccessDescriptor> none = [];
        var work = newVersions.Select(id => (Id: id, Sightings: none)).Concat(sighted.Select(s => (Id: s.Key, Sightings: s.Value))).ToList();
        var relink = new List<LinkChange>();
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var chunk in work.Chunk(CallsInFlight))
        {
            var steps = await Task.WhenAll(chunk.Select(w => GrainFactory.Reference<IIndicatorGrain>(w.Id).ReviveAsync(w.Sightings)));
            for (var i = 0; i < chunk.Length; i++)
            {
                relink.AddRange(steps[i].Relink);
                if (steps[i].Due is { } at)
                {
                    due[chunk[i].Id] = at;
                }
            }
        }
        if (relink.Count > 0)
        {
            await GrainFactory.GetGrain<ICorrelationGrain>(0).ApplyAsync(new CorrelationBatch(
                [.. relink.DistinctBy(l => l.EdgeKey, StringComparer.Ordinal)], new Dictionary<string, string>()));
        }
        await ScheduleAsync(due);
    }

    public async Task ScheduleAsync(IReadOnlyDictionary<string, DateTimeOffset> due)
    {
        var buckets = due.GroupBy(d => LifecycleSchedule.KeyOf(d.Key, d.Value, options.Value), StringComparer.Ordinal);
        await Task.WhenAll(buckets.Select(b => GrainFactory.Reference<ILifecycleScheduleGrain>(b.Key)
            .AddAsync(b.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal))));
    }
}
