using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using ThreatGraph.TestSupport;
using Xunit.Abstractions;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// Three silo processes on Azure Table clustering and Azure storage (as deploy/local-cluster.sh runs them): the ICS
/// bundle ingested through one; grains spread over all three; one silo killed with SIGKILL, reads through another
/// keep working (once membership notices) with every count right; the killed silo rejoins; the whole cluster stopped
/// and started from scratch, every count still right.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ClusterTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Three_silos_survive_a_killed_silo_and_a_full_restart()
    {
        var serviceId = "cluster" + Guid.NewGuid().ToString("N")[..8];
        var clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        var ports = Enumerable.Range(0, 3).Select(_ => SiloProcess.Ports.Free()).ToArray();
        var bundle = SharedData.Bytes("mitre-attack/ics-attack-18.1.json");
        var ids = GraphFingerprint.IdsOf(bundle);

        var silos = await Task.WhenAll(ports.Select(p => SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, p)));
        try
        {
            using (var content = new ByteArrayContent(bundle))
            {
                content.Headers.ContentType = new("application/json");
                using var response = await silos[0].Http.PostAsync("/api/bundles", content);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
            var before = await GraphFingerprint.ReadAsync(silos[0].Http, ids);
            Assert.True(before.EdgesById.Values.All(n => n >= 0), "every object readable");
            await AssertSpreadAsync(serviceId, clusterId);

            // SIGKILL silo 3; keep reading through silo 2 until every count is right again.
            var clock = Stopwatch.StartNew();
            await silos[2].KillAsync();
            var back = await Poll.UntilAsync(async () => (await GraphFingerprint.ReadAsync(silos[1].Http, ids)).Diff(before).Length == 0,
                TimeSpan.FromSeconds(120), "all counts right through silo 2 after silo 3 was killed", TimeSpan.FromSeconds(1));
            output.WriteLine($"serving every object again {back.TotalSeconds:F1} s after the kill (first full read that matched)");

            // It comes back on the same ports and rejoins.
            await silos[2].DisposeAsync();
            silos[2] = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, ports[2]);
            Assert.Equal("", (await GraphFingerprint.ReadAsync(silos[2].Http, ids)).Diff(before));

            // The whole cluster, stopped and started from scratch.
            await Task.WhenAll(silos.Select(s => s.StopAsync()));
            foreach (var s in silos) await s.DisposeAsync();
            silos = await Task.WhenAll(ports.Select(p => SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, p)));
            Assert.Equal("", (await GraphFingerprint.ReadAsync(silos[1].Http, ids)).Diff(before));
        }
        finally
        {
            foreach (var s in silos) await s.DisposeAsync();
        }
    }

    /// <summary>An Orleans client on the same membership table asks the management grain where node grains live.</summary>
    async Task AssertSpreadAsync(string serviceId, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(c =>
        {
            c.Configure<ClusterOptions>(o => { o.ServiceId = serviceId; o.ClusterId = clusterId; });
            c.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(azurite.ConnectionString));
        });
        using var host = builder.Build();
        await host.StartAsync();
        var stats = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var perSilo = stats.Where(s => s.GrainType.Contains("Nodes.", StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress).ToDictionary(g => g.Key.ToString(), g => g.Sum(s => s.ActivationCount));
        output.WriteLine("node activations per silo: " + string.Join(", ", perSilo.Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal(3, perSilo.Count);
        await host.StopAsync();
    }
}
