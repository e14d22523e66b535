using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>/health/memory reports the managed heap the benchmark prints beside RSS.</summary>
[Collection(ApiCollection.Name)]
public sealed class HealthMemoryTests(ApiFactory api)
{
    [Fact]
    public async Task Memory_reports_the_managed_heap_without_credentials()
    {
        using var client = api.ClientFor(null);
        var memory = await client.GetFromJsonAsync<JsonObject>(Silo.Health.HealthEndpoints.MemoryPath);
        Assert.True(memory!["heapBytes"]!.GetValue<long>() > 0);
        Assert.True(memory["committedBytes"]!.GetValue<long>() > 0);
        // The trims of the current quiet period: a test host's heap is under the trim threshold, so none yet.
        Assert.Equal(0, memory["idleTrims"]!.GetValue<int>());
    }
}
