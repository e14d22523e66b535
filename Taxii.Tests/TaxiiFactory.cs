using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Taxii.Tests;

/// <summary>The real host (silo + gateway, as <c>dotnet run --project Silo</c>) on a test server, Orleans on free
/// loopback ports. Extra settings per instance (e.g. a small Api:MaxBundleBytes).</summary>
public class TaxiiFactory : WebApplicationFactory<Program>
{
    public const string Base = "/taxii2/threatgraph/";
    public const string Collection = Base + "collections/" + TaxiiCollections.DefaultId + "/";
    public const string TaxiiType = "application/taxii+json;version=2.1";

    readonly Dictionary<string, string> _settings = [];

    public TaxiiFactory With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", "test-" + Guid.NewGuid().ToString("N"));
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }
    }

    public static class Keys
    {
        public const string JpAnalyst = "jp-analyst-dev-key";
        public const string JpAnalyst2 = "jp-analyst2-dev-key";
        public const string UsAnalyst = "us-analyst-dev-key";
        public const string IsacAnalyst = "isac-analyst-dev-key";
        public const string JpAuditor = "jp-auditor-dev-key";
    }

    /// <summary>A client with a key (null: none) that accepts TAXII 2.1.</summary>
    public HttpClient ClientFor(string? apiKey = Keys.JpAnalyst)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        client.DefaultRequestHeaders.Accept.ParseAdd(TaxiiType);
        return client;
    }

    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> GetAsync(string url, string? apiKey = Keys.JpAnalyst)
    {
        using var client = ClientFor(apiKey);
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject(), response);
    }

    /// <summary>POST objects; the 202 status resource.</summary>
    public async Task<JsonObject> PostObjectsAsync(IEnumerable<JsonObject> objects, string apiKey = Keys.JpAnalyst)
    {
        using var client = ClientFor(apiKey);
        var envelope = new JsonObject { ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) };
        using var content = new StringContent(envelope.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(TaxiiType);
        using var response = await client.PostAsync(Collection + "objects/", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST objects: {response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Follows next until more is false; every page's objects (or manifest records).</summary>
    public async Task<List<JsonObject>> PageAllAsync(string resource, string query, string apiKey = Keys.JpAnalyst, Func<Task>? betweenPages = null)
    {
        var all = new List<JsonObject>();
        string? next = null;
        for (var pages = 0; pages < 10_000; pages++)
        {
            var url = Collection + resource + "?" + query + (next is null ? "" : "&next=" + Uri.EscapeDataString(next));
            var (status, body, _) = await GetAsync(url, apiKey);
            Assert.True(status == HttpStatusCode.OK, $"{url}: {status} {body.ToJsonString()}");
            all.AddRange((body["objects"]?.AsArray() ?? []).Select(o => o!.AsObject()));
            if (body["more"]!.GetValue<bool>() is false)
            {
                Assert.Null(body["next"]);
                return all;
            }
            next = body["next"]!.GetValue<string>();
            if (betweenPages is not null)
            {
                await betweenPages();
            }
        }
        throw new InvalidOperationException("paging did not end after 10,000 pages");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class TaxiiCollection : ICollectionFixture<TaxiiFactory>
{
    public const string Name = "taxii";
}
