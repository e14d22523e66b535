using System.Diagnostics;
using Xunit.Abstractions;

namespace ThreatGraph.Durability.Tests;

/// <summary>The TAXII log's partition count is part of what is stored: a silo started on the same storage with another
/// <c>Taxii:LogPartitions</c> stops, naming the setting and the count to use, instead of reading and writing other
/// partitions than the ones holding the log.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaxiiLogLayoutStartupTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task A_changed_partition_count_stops_the_start_up_naming_the_setting_and_the_recorded_count()
    {
        var serviceId = "layout" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, "layout", SiloProcess.Ports.Free(), "--Taxii:LogPartitions=4"))
        {
            await first.StopAsync();
        }

        var clock = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SiloProcess.StartAsync(azurite.ConnectionString, serviceId, "layout", SiloProcess.Ports.Free(), "--Taxii:LogPartitions=6"));
        output.WriteLine($"refused after {clock.Elapsed.TotalSeconds:F1} s:\n{refused.Message}");
        Assert.Contains("silo exited", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Taxii:LogPartitions is 6", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Set Taxii:LogPartitions=4", refused.Message, StringComparison.Ordinal);

        await using var again = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, "layout", SiloProcess.Ports.Free(), "--Taxii:LogPartitions=4");
    }
}
