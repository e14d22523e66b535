using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Taxii.Tests;

/// <summary>The host for the TAXII tests (<see cref="ThreatGraphHostFactory{TProgram}"/>) with TAXII helpers; extra
/// settings per instance (e.g. a small Api:MaxBundleBytes).</summary>
public class TaxiiFactory : ThreatGraphHostFactory<Program>
{
    public const string Base = "/taxii2/threatgraph/";
    public const string Collection = Base + "collections/" + TaxiiCollections.DefaultId + "/";
    public const string TaxiiType = "application/taxii+json;version=2.1";

    public TaxiiFactory With(string key, string value)
    {
        UseSetting(key, value);
        return this;
    }

    /// <summary>A client with a key (null: none) that accepts TAXII 2.1.</summary>
    public HttpClient TaxiiClientFor(string? apiKey = DevKeys.JpAnalyst)
    {
        var client = ClientFor(apiKey);
        client.DefaultRequestHeaders.Accept.ParseAdd(TaxiiType);
        return client;
    }

    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> GetAsync(string url, string? apiKey = DevKeys.JpAnalyst)
    {
        using var client = TaxiiClientFor(apiKey);
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject(), response);
    }

    /// <summary>POST objects; the 202 status resource.</summary>
    public async Task<JsonObject> PostObjectsAsync(IEnumerable<JsonObject> objects, string apiKey = DevKeys.JpAnalyst)
    {
        using var client = TaxiiClientFor(apiKey);
        var envelope = new JsonObject { ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) };
        using var content = new StringContent(envelope.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(TaxiiType);
        using var response = await client.PostAsync(Collection + "objects/", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST objects: {response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Follows next until more is false; every page's objects (or manifest records).</summary>
    public async Task<List<JsonObject>> PageAllAsync(string resource, string query, string apiKey = DevKeys.JpAnalyst, Func<Task>? betweenPages = null)
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
}

[CollectionDefinition(Name)]
public sealed class TaxiiCollection : ICollectionFixture<TaxiiFactory>
{
    public const string Name = "taxii";
}
