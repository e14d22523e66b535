using System.Globalization;
using Azure.Data.Tables;
using ThreatGraph.Grains.Lifecycle;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Durability.Tests;

/// <summary>On Azure storage the expiry schedule is durable: a bucket's entry is grain state in the graph table and its
/// reminder a row of the Azure Table reminder service; both are there after a restart.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LifecycleReminderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_scheduled_indicator_and_its_bucket_reminder_survive_a_restart()
    {
        var serviceId = "life" + Guid.NewGuid().ToString("N")[..8];
        var id = "indicator--" + Guid.NewGuid();
        var bundle = """
            {"type": "bundle", "id": "bundle--BUNDLE", "objects": [{"type": "indicator", "spec_version": "2.1", "id": "ID",
              "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "pattern_type": "stix",
              "pattern": "[domain-name:value = 'durable-lifecycle.test']", "valid_from": "2026-01-01T00:00:00Z",
              "x_threatgraph_decay": {"lifetime_days": 10, "speed": 1}}]}
            """.Replace("BUNDLE", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("\"ID\"", $"\"{id}\"", StringComparison.Ordinal);
        string key;
        await using (var host = new DurableApiFactory(azurite.ConnectionString, serviceId))
        {
            await host.PostBundleAsync(DurableApiFactory.Utf8(bundle));
            var data = await host.DataAsync($$"""{ object(id: "{{id}}") { ... on Indicator { decayedAt } } }""");
            var due = DateTimeOffset.Parse(data["object"]!["decayedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            key = LifecycleSchedule.KeyOf(id, due, new LifecycleOptions());
            Assert.Equal(due, (await host.Grains.GetGrain<ILifecycleScheduleGrain>(key).EntriesAsync())[id], TimeSpan.FromMilliseconds(1)); // GraphQL shows milliseconds
        }

        Assert.True(await ReminderRowsAsync(key) == 1, $"no reminder row for bucket {key} in ThreatGraphReminders");
        await using (var again = new DurableApiFactory(azurite.ConnectionString, serviceId))
        {
            var entries = await again.Grains.GetGrain<ILifecycleScheduleGrain>(key).EntriesAsync();
            Assert.True(entries.ContainsKey(id), "the schedule bucket lost its entry across the restart");
        }
        Assert.Equal(1, await ReminderRowsAsync(key));
    }

    async Task<int> ReminderRowsAsync(string bucketKey)
    {
        var table = azurite.Tables.GetTableClient("ThreatGraphReminders");
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (((IDictionary<string, object>)row).Values.Any(v => v is string s && s.Contains(bucketKey, StringComparison.Ordinal)))
            {
                count++;
            }
        }
        return count;
    }
}
