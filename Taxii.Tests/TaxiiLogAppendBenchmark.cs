using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Grains.Taxii;
using Xunit.Abstractions;

namespace ThreatGraph.Taxii.Tests;

/// <summary>A fact that runs only when <c>TG_BENCH=1</c>: measurements, not tests (bench/README.md).</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TG_BENCH") != "1")
        {
            Skip = "a measurement: run with TG_BENCH=1 (bench/README.md, \"TAXII log\")";
        }
    }
}

/// <summary>
/// Appends per second into the TAXII collection log, through the same writer ingest uses (<see cref="TaxiiLogWriter"/>:
/// one call per touched partition), for 1 and 8 partitions: 16 callers at once (ingest requests in flight), each
/// appending ranks of 50 or of 1,000 new versions, on the real host (Release) in memory mode — or on Azure storage
/// when <c>TG_BENCH_AZURE</c> holds a connection string (Azurite); <c>TG_BENCH_TOTAL</c> versions per run (200,000 in
/// memory, 50,000 on Azure by default). Prints the rates; asserts only that every version was logged.
/// <c>TG_BENCH=1 dotnet test Taxii.Tests -c Release --filter TaxiiLogAppendBenchmark --logger "console;verbosity=detailed"</c>
/// </summary>
public sealed class TaxiiLogAppendBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact]
    public async Task Appends_per_second_for_one_and_eight_partitions()
    {
        var azure = Environment.GetEnvironmentVariable("TG_BENCH_AZURE");
        var total = int.TryParse(Environment.GetEnvironmentVariable("TG_BENCH_TOTAL"), out var t) ? t : azure is null ? 200_000 : 50_000;
        foreach (var (partitions, batch) in new[] { (1, 50), (8, 50), (1, 1000), (8, 1000), (1, 50), (8, 50), (1, 1000), (8, 1000) })
        {
            var factory = new TaxiiFactory().With(TaxiiLogOptions.PartitionsKey, partitions.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (azure is not null)
            {
                factory = factory.With("Orleans:Storage", "azure").With("Orleans:AzureStorageConnectionString", azure)
                    .With("Orleans:ServiceId", "bench" + Guid.NewGuid().ToString("N")[..8]);
            }
            await using var api = factory;
            var grains = api.Services.GetRequiredService<IGrainFactory>();
            var writer = api.Services.GetRequiredService<TaxiiLogWriter>();
            var collection = "bench-" + Guid.NewGuid().ToString("N");
            const int callers = 16;
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) is var b && b < total / batch)
                {
                    await writer.AppendAsync(grains, collection, [.. Enumerable.Range(b * batch, batch)
                        .Select(i => new TaxiiLogAppend($"indicator--{i:D12}", "indicator", "2024-01-01T00:00:00.000Z", null, "2.1", i))]);
                }
            })));
            var seconds = clock.Elapsed.TotalSeconds;
            long logged = 0;
            for (var p = 0; p < partitions; p++)
            {
                logged += await grains.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(collection, partitions, p)).CountAsync();
            }
            Assert.Equal(total, logged);
            output.WriteLine($"{(azure is null ? "memory" : "azure")}, {partitions} partition(s), ranks of {batch}: {total} appends in {seconds:F2} s = {total / seconds:F0} appends/s");
        }
    }
}
