using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Taxii.Tests;

/// <summary>
/// The OASIS reference server's fixture (medallion default_data.json): each collection's objects are posted through
/// TAXII and served back with identical content, paged. The one object without spec_version (STIX 2.0 content: a
/// version of the malware) is upgraded to STIX 2.1 on the way in and served back in its 2.1 form, spec_version added.
/// </summary>
public sealed class MedallionRoundTripTests : IDisposable
{
    readonly TaxiiFactory _api = new();

    public void Dispose() => _api.Dispose();

    /// <summary>What the server stores: STIX 2.1; the 2.0 malware version has no labels to move, so only spec_version is added.</summary>
    static JsonObject AsStored(JsonObject o)
    {
        var stored = (JsonObject)o.DeepClone();
        stored["spec_version"] ??= "2.1";
        return stored;
    }

    static string Key(JsonNode o) => o["id"]!.GetValue<string>() + "@" + (o["modified"] ?? o["created"])!.GetValue<string>();

    [Fact]
    public async Task Every_collection_round_trips_with_identical_content_and_paging()
    {
        var data = JsonNode.Parse(SharedData.Text("taxii/medallion-default_data.json"))!.AsObject();
        var collections = data.Where(p => p.Key != "/discovery")
            .SelectMany(root => root.Value!["collections"]!.AsArray().Select(c => c!.AsObject())).ToList();
        Assert.Equal(5, collections.Count);
        var sent = new List<JsonObject>();
        foreach (var collection in collections)
        {
            var objects = collection["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();
            if (objects.Count == 0)
            {
                continue;
            }
            var status = await _api.PostObjectsAsync(objects);
            Assert.Equal(objects.Count, status["total_count"]!.GetValue<int>());
            Assert.Empty(status["failures"]!.AsArray());
            sent.AddRange(objects.Select(AsStored));
        }
        Assert.Equal(8, sent.Count);

        // Every version back, paged two at a time, byte-for-byte equal as JSON.
        var served = await _api.PageAllAsync("objects/", "match[version]=all&limit=2");
        Assert.Equal(sent.Select(Key).Order(), served.Select(Key).Order());
        foreach (var o in served)
        {
            Assert.True(JsonNode.DeepEquals(sent.Single(s => Key(s) == Key(o)), o), "differs: " + Key(o));
        }

        // The manifest names the same versions as the reference fixture's manifest (for what was accepted).
        var reference = collections.SelectMany(c => c["manifest"]?.AsArray() ?? []).Select(m => m!["id"]!.GetValue<string>() + "@" + m["version"]!.GetValue<string>())
            .Where(k => sent.Any(s => Key(s) == k)).Order().ToList();
        var manifest = await _api.PageAllAsync("manifest/", "match[version]=all&limit=3");
        var ours = manifest.Select(m => m["id"]!.GetValue<string>() + "@" + m["version"]!.GetValue<string>()).ToList();
        Assert.Equal(reference, ours.Order());

        // Default (last) gives one version per object; first gives the oldest indicator version.
        var last = await _api.PageAllAsync("objects/", "limit=1");
        Assert.Equal(sent.Select(s => s["id"]!.GetValue<string>()).Distinct().Count(), last.Count);
        var first = await _api.PageAllAsync("objects/", "match[version]=first&match[id]=indicator--6770298f-0fd8-471a-ab8c-1c658a46574e");
        Assert.Equal("2016-11-03T12:30:59.000Z", first.Single()["modified"]!.GetValue<string>());
    }
}
