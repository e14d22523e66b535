using System.Text.Json.Nodes;
using ThreatGraph.Silo.Hosting;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// A state write that fails leaves no trace in memory: the grain that held the change is deactivated, so the same
/// version sent again is written (not answered "unchanged" from memory) and is there after a restart. Found by the
/// three-silo kill test: writes that failed while a silo died were re-sent, answered "unchanged", and lost at the
/// next restart.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FailedWriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_version_whose_write_failed_is_written_when_sent_again_and_survives_a_restart()
    {
        var serviceId = "failwrite" + Guid.NewGuid().ToString("N")[..8];
        var id = "indicator--" + Guid.NewGuid();
        // Version 2 is large: its state goes to a blob, and the blob container is deleted to make that write fail.
        var large = new string('x', 950_000);
        var largeContainer = azurite.Blobs.GetBlobContainerClient(SiloHostingExtensions.LargeStateContainerName(serviceId));

        await using (var api = new DurableApiFactory(azurite.ConnectionString, serviceId))
        {
            Assert.Equal("created", Outcome(await api.PostBundleAsync(Bundle(id, "2024-01-01T00:00:00.000Z", "first"))));
            await largeContainer.DeleteIfExistsAsync();

            var failed = await TryPostAsync(api, Bundle(id, "2024-02-01T00:00:00.000Z", large));
            Assert.True(failed is null || Outcome(failed) == "rejected", $"the write cannot have succeeded: {failed}");

            await largeContainer.CreateIfNotExistsAsync();
            var again = await api.PostBundleAsync(Bundle(id, "2024-02-01T00:00:00.000Z", large));
            Assert.Equal("updated", Outcome(again));
        }

        await using var restarted = new DurableApiFactory(azurite.ConnectionString, serviceId);
        var data = await restarted.DataAsync($$"""{ object(id: "{{id}}") { modified } }""");
        Assert.Equal("2024-02-01T00:00:00.000Z", data["object"]!["modified"]!.GetValue<string>());
    }

    static string Outcome(JsonObject report) => report["objects"]![0]!["outcome"]!.GetValue<string>();

    /// <summary>The report, or null when the request failed as a whole.</summary>
    static async Task<JsonObject?> TryPostAsync(DurableApiFactory api, byte[] bundle)
    {
        using var client = api.CreateClient();
        using var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync("/api/bundles", content);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
    }

    static byte[] Bundle(string id, string modified, string description) => DurableApiFactory.Utf8($$"""
        {"type":"bundle","id":"bundle--{{Guid.NewGuid()}}","objects":[{"type":"indicator","spec_version":"2.1","id":"{{id}}",
         "created":"2024-01-01T00:00:00.000Z","modified":"{{modified}}","name":"failing write","description":"{{description}}",
         "pattern":"[ipv4-addr:value = '198.51.100.77']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"}]}
        """);
}
