using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class RestApiTests(ApiFactory api)
{
    [Fact]
    public async Task Stored_object_reads_back_equal_to_what_was_sent_including_custom_properties()
    {
        var campaign = StixBuilder.Sdo("campaign", name: "Round trip");
        campaign["x_jp_priority"] = new JsonObject { ["level"] = 3, ["tags"] = new JsonArray("a", "b") };
        campaign["description"] = "Heizölrückstoßabdämpfung";
        var (status, report) = await api.PostBundleAsync(ApiFactory.Bundle(campaign));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("created", report["objects"]![0]!["outcome"]!.GetValue<string>());

        using var client = api.CreateClient();
        using var response = await client.GetAsync($"/api/objects/{campaign["id"]}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/stix+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(JsonNode.DeepEquals(campaign, JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }

    [Theory]
    [InlineData("stix-validator-examples/v21/invalid_braces.json")]
    [InlineData("stix-validator-examples/v21/invalid_comma.json")]
    public async Task Malformed_json_is_a_400_naming_line_and_column(string file)
    {
        var (status, body) = await api.PostBundleAsync(SharedData.Bytes(file));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MALFORMED_JSON", body["error"]!["code"]!.GetValue<string>());
        Assert.Matches(@"line \d+, column \d+", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_position_is_exact()
    {
        var (status, body) = await api.PostBundleAsync("{\n  \"type\": \"bundle\",\n  \"objects\": [,]\n}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("line 3, column 15", body["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("stix-validator-examples/v21/invalid_identity.json", "modified")]
    [InlineData("stix-validator-examples/v21/invalid_timestamp.json", "modified")]
    public async Task Invalid_objects_are_rejected_with_a_specific_message_and_not_stored(string file, string mentioned)
    {
        var (status, body) = await api.PostBundleAsync(SharedData.Bytes(file));
        Assert.Equal(HttpStatusCode.OK, status);
        var result = body["objects"]!.AsArray().Single()!;
        Assert.Equal("rejected", result["outcome"]!.GetValue<string>());
        Assert.Contains(result["errors"]!.AsArray(), e => e!["message"]!.GetValue<string>().Contains(mentioned, StringComparison.Ordinal)
                                                          && e["path"]!.GetValue<string>().Contains(mentioned, StringComparison.Ordinal));
        using var client = api.CreateClient();
        using var read = await client.GetAsync($"/api/objects/{result["id"]}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Tlp_green_example_rejects_only_the_relationship_with_the_impossible_timestamp()
    {
        var (status, body) = await api.PostBundleAsync(SharedData.Bytes("markings/tlp2/using-tlp2.0-green.json"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(body["envelopeIssues"]!.AsArray(), i => i!["path"]!.GetValue<string>() == "$.type");
        var rejected = body["objects"]!.AsArray().Where(o => o!["outcome"]!.GetValue<string>() == "rejected").ToList();
        var relationship = Assert.Single(rejected)!;
        Assert.Equal("relationship", relationship["type"]!.GetValue<string>());
        Assert.Contains(relationship["errors"]!.AsArray(), e => e!["path"]!.GetValue<string>().EndsWith(".created", StringComparison.Ordinal));
        Assert.Equal(body["objects"]!.AsArray().Count - 1, body["totals"]!["created"]!.GetValue<int>() + body["totals"]!["unchanged"]!.GetValue<int>());
    }

    [Fact]
    public async Task Wrong_content_type_is_415_and_empty_body_is_400()
    {
        var (status, body) = await api.PostBundleAsync(Encoding.UTF8.GetBytes("<xml/>"), "application/xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", body["error"]!["code"]!.GetValue<string>());
        (status, body) = await api.PostBundleAsync([]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("EMPTY_BODY", body["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_404_and_400()
    {
        using var client = api.CreateClient();
        using var unknown = await client.GetAsync($"/api/objects/{StixBuilder.NewId("malware")}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var bad = await client.GetAsync("/api/objects/not-an-id");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Resending_a_bundle_changes_nothing()
    {
        var bundle = ApiFactory.Bundle(StixBuilder.Sdo("campaign", name: "Again"), StixBuilder.Sdo("intrusion-set", name: "Again set"));
        var (_, first) = await api.PostBundleAsync(bundle);
        var (_, second) = await api.PostBundleAsync(bundle);
        Assert.Equal(2, first["totals"]!["created"]!.GetValue<int>());
        Assert.Equal(2, second["totals"]!["unchanged"]!.GetValue<int>());
        Assert.Equal(0, second["totals"]!["created"]!.GetValue<int>() + second["totals"]!["updated"]!.GetValue<int>());
    }
}
