using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ThreatGraph.Grains.Lifecycle;
using Xunit.Abstractions;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Tests;

/// <summary>
/// What the expiry schedule costs for 100,000 indicators (README "Lifecycle and severity"): reminders grow with the
/// schedule's time horizon (buckets × partitions), not with the indicators; each indicator costs one entry of a bucket's
/// state. Counts are asserted exactly; the memory and storage figures are printed for the README.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LifecycleScheduleCostTests(ClusterFixture fixture, ITestOutputHelper output)
{
    const int Indicators = 100_000;
    const int HorizonDays = 60;

    [Fact]
    public async Task One_hundred_thousand_indicators_cost_one_entry_each_and_one_reminder_per_bucket()
    {
        var options = new LifecycleOptions();
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero); // in the future: nothing fires during the test
        var random = new Random(16);
        var due = Enumerable.Range(0, Indicators).ToDictionary(
            _ => $"indicator--{Guid.NewGuid()}", _ => start.AddMinutes(random.Next(HorizonDays * 24 * 60)), StringComparer.Ordinal);
        var buckets = due.Select(d => LifecycleSchedule.KeyOf(d.Key, d.Value, options)).ToHashSet(StringComparer.Ordinal);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var chunk in due.Chunk(5_000))
        {
            await fixture.Grains.GetGrain<ILifecycleGrain>(0).ScheduleAsync(chunk.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal));
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var silo = fixture.Cluster.Silos[0].ServiceProvider;
        var serializer = silo.GetRequiredService<Serializer>();
        long stored = 0, entries = 0;
        foreach (var key in buckets)
        {
            var held = await fixture.Grains.GetGrain<ILifecycleScheduleGrain>(key).EntriesAsync();
            entries += held.Count;
            stored += serializer.SerializeToArray(new LifecycleScheduleState { Due = new(held, StringComparer.Ordinal) }).Length;
        }
        var reminders = 0;
        var table = silo.GetRequiredService<IReminderTable>();
        foreach (var key in buckets)
        {
            var grain = fixture.Grains.GetGrain<ILifecycleScheduleGrain>(key);
            reminders += (await table.ReadRows(grain.GetGrainId())).Reminders.Count;
        }

        Assert.Equal(Indicators, entries);
        Assert.Equal(buckets.Count, reminders);
        Assert.True(buckets.Count <= HorizonDays * 24 * options.SchedulePartitions);
        output.WriteLine($"{Indicators} indicators over {HorizonDays} days: {buckets.Count} buckets and reminders, "
            + $"{stored} bytes of schedule state ({(double)stored / Indicators:F1} bytes per indicator), "
            + $"{(after - before) / 1024.0 / 1024.0:F1} MB more managed heap with every bucket active ({(double)(after - before) / Indicators:F0} bytes per indicator)");
    }
}
