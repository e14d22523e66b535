using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Grains.Taxii;
using Xunit.Abstractions;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Taxii.Tests;

/// <summary>
/// Appends per second into the TAXII collection log, through the same writer ingest uses (<see cref="TaxiiLogWriter"/>:
/// one call per touched partition), for 1 and 8 partitions: 16 callers at once (ingest requests in flight), each
/// appending ranks of 50 or of 1,000 new versions, on the real host (Release) in memory mode — or on Azure storage
/// when <c>TG_BENCH_AZURE</c> holds a connection string (Azurite); <c>TG_BENCH_TOTAL</c> versions per run (200,000 in
/// memory, 50,000 on Azure by default). Prints the rates; asserts that every version was logged exactly once.
/// In the suite it runs small (4,000 versions, 1 and 8 partitions, ranks of 50): 16 concurrent callers through the
/// group-commit writer lose and duplicate nothing. As a measurement:
/// <c>TG_BENCH=1 dotnet test Taxii.Tests -c Release --filter TaxiiLogAppendBenchmark --logger "console;verbosity=detailed"</c>
/// </summary>
public sealed class TaxiiLogAppendBenchmark(ITestOutputHelper output)
{
    [Fact]
    public async Task Sixteen_concurrent_callers_log_every_version_once_in_one_and_eight_partitions()
    {
        var measuring = Environment.GetEnvironmentVariable("TG_BENCH") == "1";
        var azure = measuring ? Environment.GetEnvironmentVariable("TG_BENCH_AZURE") : null;
        var total = int.TryParse(Environment.GetEnvironmentVariable("TG_BENCH_TOTAL"), out var t) && measuring ? t
            : !measuring ? 4_000 : azure is null ? 200_000 : 50_000;
        var runs = measuring
            ? new[] { (1, 50), (8, 50), (1, 1000), (8, 1000), (1, 50), (8, 50), (1, 1000), (8, 1000) }
            : new[] { (1, 50), (8, 50) };
        foreach (var (partitions, batch) in runs)
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
