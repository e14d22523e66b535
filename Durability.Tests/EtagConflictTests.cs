using Azure;
using Azure.Data.Tables;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Durability.Tests;

/// <summary>A node's row is rewritten behind its back (another writer): the next write meets an ETag conflict,
/// re-reads and re-applies, and the caller sees success with nothing lost.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EtagConflictTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Write_after_a_concurrent_change_is_reapplied_not_failed()
    {
        var serviceId = "etag" + Guid.NewGuid().ToString("N")[..8];
        var id = "domain-name--" + Guid.NewGuid();
        await using var host = new DurableApiFactory(azurite.ConnectionString, serviceId);
        var node = host.Grains.GetNode(id);
        await node.AddEdgesAsync([Edge(1)]);

        // Another writer: the same row written again gets a new ETag.
        var table = azurite.StateTable(serviceId);
        var row = await table.QueryAsync<TableEntity>().SingleAsync(r => r.RowKey.Contains(id, StringComparison.Ordinal));
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        await node.AddEdgesAsync([Edge(2)]);
        Assert.Equal(2, (await node.GetEdgesAsync(EdgeQuery.All)).TotalCount);
    }

    static Edge Edge(int i) => new($"sighting--{i:D8}-0000-4000-8000-000000000000", "where_sighted_refs",
        $"identity--{i:D8}-0000-4000-8000-000000000000", EdgeDirection.In, []);
}
