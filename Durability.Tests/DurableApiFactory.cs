using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace ThreatGraph.Durability.Tests;

/// <summary>The real host (silo + gateway) in this process (<see cref="ThreatGraphHostFactory{TProgram}"/>) on Azure storage (Azurite).</summary>
/// <param name="settings">More configuration, e.g. <c>Orleans:StoragePartitions</c>.</param>
public sealed class DurableApiFactory(string connectionString, string serviceId, IReadOnlyDictionary<string, string>? settings = null)
    : ThreatGraphHostFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder); // free ports, a cluster of its own
        builder.UseSetting("Orleans:Storage", "azure");
        // These tests read the whole graph back in large aliased queries, fast: lift the abuse limits.
        builder.UseSetting("Security:MaxAliases", "10000");
        builder.UseSetting("Security:RequestsPerSecond", "100000");
        builder.UseSetting("Security:Burst", "100000");
        builder.UseSetting("Orleans:AzureStorageConnectionString", connectionString);
        builder.UseSetting("Orleans:ServiceId", serviceId);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The grain storage of the graph (<c>StorageNames.Graph</c>), as grains use it.</summary>
    public Orleans.Storage.IGrainStorage GraphStorage => Services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(ThreatGraph.Contracts.StorageNames.Graph);

    /// <summary>Direct grain access as the system (these tests check storage, not access).</summary>
    public IGrainFactory Grains
    {
        get
        {
            ThreatGraph.Contracts.Security.CallerContext.Set(ThreatGraph.Contracts.Security.CallerIdentity.System);
            return Services.GetRequiredService<IGrainFactory>();
        }
    }

    public async Task<JsonObject> PostBundleAsync(byte[] bundle)
    {
        using var client = CreateClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        using var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync("/api/bundles", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ingest: HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<JsonObject> DataAsync(string query)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/graphql", new { query });
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.True(json["errors"] is null, "GraphQL errors: " + body);
        return json["data"]!.AsObject();
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
