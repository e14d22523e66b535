using ThreatGraph.Silo.Hosting;

namespace ThreatGraph.Durability.Tests;

/// <summary>Start-up refuses a grain-state table laid out with another partition count, and a service whose grain
/// state is still in the previous layout (one blob per grain), naming the setting or the container.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StateTableLayoutTests(AzuriteFixture azurite)
{
    [Fact]
    public void A_different_partition_count_than_the_table_was_created_with_is_refused_at_start_up()
    {
        var serviceId = "layout" + Guid.NewGuid().ToString("N")[..8];
        Build(serviceId, partitions: 4); // creates the table, laid out with 4 partitions
        var e = Assert.Throws<StartupConfigurationException>(() => Build(serviceId, partitions: 8));
        Assert.Contains(ThreatGraphSiloOptions.Keys.StoragePartitions, e.Message, StringComparison.Ordinal);
        Assert.Contains("with 4 partitions", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{ThreatGraphSiloOptions.Keys.StoragePartitions}=4", e.Message, StringComparison.Ordinal);
        Build(serviceId, partitions: 4); // the same count again: fine
    }

    [Fact]
    public async Task Grain_state_in_the_previous_layout_is_refused_at_start_up()
    {
        var serviceId = "oldlayout" + Guid.NewGuid().ToString("N")[..8];
        var container = azurite.Blobs.GetBlobContainerClient(SiloHostingExtensions.ContainerName(serviceId));
        await container.CreateAsync();
        await container.UploadBlobAsync("node-observable_ipv4-addr--1.json", BinaryData.FromString("{}"));
        var e = Assert.Throws<StartupConfigurationException>(() => Build(serviceId, partitions: 4));
        Assert.Contains(SiloHostingExtensions.ContainerName(serviceId), e.Message, StringComparison.Ordinal);
        Assert.Contains("previous layout", e.Message, StringComparison.Ordinal);
    }

    void Build(string serviceId, int partitions)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Orleans:Storage"] = "azure";
        builder.Configuration["Orleans:AzureStorageConnectionString"] = azurite.ConnectionString;
        builder.Configuration["Orleans:ServiceId"] = serviceId;
        builder.Configuration[ThreatGraphSiloOptions.Keys.StoragePartitions] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.AddThreatGraphSilo();
    }
}
