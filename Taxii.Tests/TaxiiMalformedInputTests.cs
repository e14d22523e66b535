using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ThreatGraph.Taxii.Tests;

/// <summary>Issue 11 rows 8 and 10 through TAXII POST: a corrupted or oversize object is a failure in the status
/// resource (with its path and what is wrong) while the others are stored, logged and served; a body that is not
/// UTF-8, or an envelope with a duplicate key, is a 400 and writes nothing.</summary>
[Collection(TaxiiCollection.Name)]
public sealed class TaxiiMalformedInputTests(TaxiiFactory api)
{
    [Theory]
    [InlineData("\"name\":\"again\"", "$.objects[1].name", "duplicate property 'name'")]
    [InlineData("\"description\":\"x\\ud800y\"", "$.objects[1].description", "lone surrogate")]
    [InlineData("\"description\":\"x\\udfffy\"", "$.objects[1].description", "lone surrogate")]
    public async Task A_corrupted_object_is_a_failure_naming_its_path_and_the_others_are_stored_and_served(string raw, string path, string words)
    {
        var type = Stix.NewType();
        var good1 = Stix.Custom(type);
        var bad = Stix.Custom(type);
        bad["x_marker"] = "M";
        var good2 = Stix.Custom(type);
        var envelope = new JsonObject { ["objects"] = new JsonArray(good1, bad, good2) }.ToJsonString()
            .Replace("\"x_marker\":\"M\"", raw, StringComparison.Ordinal);

        using var response = await PostAsync(Encoding.UTF8.GetBytes(envelope));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {text}");
        var status = JsonNode.Parse(text)!;
        Assert.Equal(2, status["success_count"]!.GetValue<int>());
        var failure = status["failures"]!.AsArray().Single()!;
        Assert.Equal(bad["id"]!.GetValue<string>(), failure["id"]!.GetValue<string>());
        Assert.Equal("2024-01-01T00:00:00.000Z", failure["version"]!.GetValue<string>());
        Assert.Contains(path + ": ", failure["message"]!.GetValue<string>());
        Assert.Contains(words, failure["message"]!.GetValue<string>());

        // The status resource exists; the good objects are in the log and served, the bad one is not.
        var (found, _, _) = await api.GetAsync(TaxiiFactory.Base + $"status/{status["id"]}/");
        Assert.Equal(HttpStatusCode.OK, found);
        var served = await api.PageAllAsync("objects/", $"match[type]={type}");
        Assert.Equal(new[] { good1["id"]!.GetValue<string>(), good2["id"]!.GetValue<string>() }.Order(),
            served.Select(o => o["id"]!.GetValue<string>()).Order());
        var (missing, _, _) = await api.GetAsync(TaxiiFactory.Collection + $"objects/{bad["id"]}/");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task An_oversize_object_is_a_failure_naming_the_limit_and_the_others_are_stored()
    {
        var type = Stix.NewType();
        var big = Stix.Custom(type);
        big["description"] = new string('z', 1024 * 1024);
        var small = Stix.Custom(type);
        var status = await api.PostObjectsAsync([big, small]);
        Assert.Equal(1, status["success_count"]!.GetValue<int>());
        var failure = status["failures"]!.AsArray().Single()!;
        Assert.Equal(big["id"]!.GetValue<string>(), failure["id"]!.GetValue<string>());
        Assert.Contains("$.objects[0]: ", failure["message"]!.GetValue<string>());
        Assert.Contains("limit is 1048576 bytes (Ingest:MaxObjectBytes)", failure["message"]!.GetValue<string>());
        var served = await api.PageAllAsync("objects/", $"match[type]={type}");
        Assert.Equal(small["id"]!.GetValue<string>(), served.Single()["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400_naming_the_byte_offset_and_writes_nothing()
    {
        var type = Stix.NewType();
        var good = Stix.Custom(type);
        good["description"] = "abcZdef";
        var bytes = Encoding.UTF8.GetBytes(new JsonObject { ["objects"] = new JsonArray(good) }.ToJsonString());
        var offset = Array.IndexOf(bytes, (byte)'Z');
        bytes[offset] = 0x80;
        using var response = await PostAsync(bytes);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains($"byte offset {offset}", error["description"]!.GetValue<string>());
        Assert.Empty(await api.PageAllAsync("objects/", $"match[type]={type}"));
    }

    [Fact]
    public async Task A_duplicate_key_in_the_envelope_is_a_400_and_writes_nothing()
    {
        var type = Stix.NewType();
        var good = Stix.Custom(type);
        var envelope = "{\"more\":false,\"more\":true," + new JsonObject { ["objects"] = new JsonArray(good) }.ToJsonString()[1..];
        using var response = await PostAsync(Encoding.UTF8.GetBytes(envelope));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("duplicate property 'more'", error["description"]!.GetValue<string>());
        Assert.Empty(await api.PageAllAsync("objects/", $"match[type]={type}"));
    }

    async Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        using var client = api.TaxiiClientFor();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(TaxiiFactory.TaxiiType);
        return await client.PostAsync(TaxiiFactory.Collection + "objects/", content);
    }
}
