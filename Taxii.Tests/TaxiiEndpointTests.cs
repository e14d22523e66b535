using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.Stix.Markings;
using K = ThreatGraph.TestSupport.DevKeys;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Taxii.Tests;

[Collection(TaxiiCollection.Name)]
public sealed class TaxiiEndpointTests(TaxiiFactory api)
{
    [Fact]
    public async Task Discovery_names_the_api_root_which_describes_itself_and_lists_the_collection()
    {
        var (status, discovery, response) = await api.GetAsync("/taxii2/");
        Assert.Equal(HttpStatusCode.OK, status);
        AssertTaxii(response);
        var root = discovery["api_roots"]!.AsArray().Single()!.GetValue<string>();
        Assert.EndsWith(TaxiiFactory.Base, root);
        Assert.Equal(root, discovery["default"]!.GetValue<string>());

        var (_, info, _) = await api.GetAsync(TaxiiFactory.Base);
        Assert.Equal(TaxiiFactory.TaxiiType, info["versions"]!.AsArray().Single()!.GetValue<string>());
        Assert.True(info["max_content_length"]!.GetValue<long>() > 0);

        var (_, collections, _) = await api.GetAsync(TaxiiFactory.Base + "collections/");
        var c = collections["collections"]!.AsArray().Single()!.AsObject();
        Assert.Equal(TaxiiCollections.DefaultId, c["id"]!.GetValue<string>());
        Assert.True(c["can_read"]!.GetValue<bool>());
        Assert.True(c["can_write"]!.GetValue<bool>());
        Assert.Equal("application/stix+json;version=2.1", c["media_types"]!.AsArray().Single()!.GetValue<string>());

        // The auditor reads but may not write.
        var (_, single, _) = await api.GetAsync(TaxiiFactory.Collection, K.JpAuditor);
        Assert.True(single["can_read"]!.GetValue<bool>());
        Assert.False(single["can_write"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    public async Task Without_valid_credentials_every_path_is_401_with_a_taxii_error(string? key)
    {
        foreach (var path in new[] { "/taxii2/", TaxiiFactory.Base, TaxiiFactory.Collection + "objects/", TaxiiFactory.Collection + "manifest/" })
        {
            var (status, body, response) = await api.GetAsync(path, key);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            AssertTaxii(response);
            Assert.Equal("401", body["http_status"]!.GetValue<string>());
            Assert.NotNull(body["title"]);
        }
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/taxii+json;version=2.0")]
    [InlineData("text/html")]
    public async Task An_accept_header_without_taxii_2_1_is_406(string accept)
    {
        using var client = api.CreateClient(); // the JP analyst's key, no Accept header
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
        using var response = await client.GetAsync(TaxiiFactory.Collection + "objects/");
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("406", body["http_status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/taxii+json")]
    [InlineData("application/taxii+json;version=2.1")]
    [InlineData("*/*")]
    public async Task Taxii_2_1_or_any_accept_is_served(string accept)
    {
        using var client = api.CreateClient(); // the JP analyst's key, no Accept header
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
        using var response = await client.GetAsync("/taxii2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/taxii2/nope/")]
    [InlineData("/taxii2/nope/collections/")]
    [InlineData("/taxii2/threatgraph/collections/00000000-0000-0000-0000-000000000000/")]
    [InlineData("/taxii2/threatgraph/collections/00000000-0000-0000-0000-000000000000/objects/")]
    [InlineData("/taxii2/threatgraph/status/00000000-0000-0000-0000-000000000000/")]
    [InlineData(TaxiiFactory.Collection + "objects/indicator--00000000-0000-4000-8000-000000000000/")]
    [InlineData(TaxiiFactory.Collection + "objects/indicator--00000000-0000-4000-8000-000000000000/versions/")]
    public async Task Unknown_roots_collections_objects_and_statuses_are_404(string path)
    {
        var (status, body, _) = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("404", body["http_status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("added_after=yesterday")]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("next=garbage")]
    [InlineData("match[version]=newest")]
    public async Task Malformed_filters_are_400(string query)
    {
        var (status, body, _) = await api.GetAsync(TaxiiFactory.Collection + "objects/?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("400", body["http_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_needs_the_ingest_role_and_a_taxii_envelope()
    {
        using var auditor = api.TaxiiClientFor(K.JpAuditor);
        using var envelope = Envelope("{\"objects\":[]}", TaxiiFactory.TaxiiType);
        using var forbidden = await auditor.PostAsync(TaxiiFactory.Collection + "objects/", envelope);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var analyst = api.TaxiiClientFor();
        using var json = Envelope("{\"objects\":[]}", "application/json");
        using var unsupported = await analyst.PostAsync(TaxiiFactory.Collection + "objects/", json);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);

        using var broken = Envelope("{\"objects\":[", TaxiiFactory.TaxiiType);
        using var bad = await analyst.PostAsync(TaxiiFactory.Collection + "objects/", broken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Post_answers_a_status_resource_kept_for_the_poster_only()
    {
        var type = Stix.NewType();
        var good = Stix.Custom(type);
        var bad = Stix.Custom(type);
        bad.Remove("created");
        var status = await api.PostObjectsAsync([good, bad, good]);
        Assert.Equal("complete", status["status"]!.GetValue<string>());
        Assert.Equal(3, status["total_count"]!.GetValue<int>());
        Assert.Equal(2, status["success_count"]!.GetValue<int>());
        Assert.Equal(1, status["failure_count"]!.GetValue<int>());
        Assert.Equal(0, status["pending_count"]!.GetValue<int>());
        var failure = status["failures"]!.AsArray().Single()!;
        Assert.Equal(bad["id"]!.GetValue<string>(), failure["id"]!.GetValue<string>());
        Assert.Contains("created", failure["message"]!.GetValue<string>());
        Assert.Equal(["created", "unchanged"], status["successes"]!.AsArray().Select(s => s!["message"]!.GetValue<string>()));

        var id = status["id"]!.GetValue<string>();
        var (ok, again, _) = await api.GetAsync(TaxiiFactory.Base + $"status/{id}/");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.True(JsonNode.DeepEquals(status, again));
        var (sameOrg, _, _) = await api.GetAsync(TaxiiFactory.Base + $"status/{id}/", K.JpAnalyst2);
        Assert.Equal(HttpStatusCode.OK, sameOrg);
        var (other, _, _) = await api.GetAsync(TaxiiFactory.Base + $"status/{id}/", K.UsAnalyst);
        Assert.Equal(HttpStatusCode.NotFound, other);
    }

    [Fact]
    public async Task Filters_select_by_id_type_version_spec_version_and_added_after()
    {
        var type = Stix.NewType();
        var id = $"{type}--{Guid.NewGuid()}";
        var v1 = Stix.Custom(type, id, "2024-01-01T00:00:00.000Z");
        var v2 = Stix.Custom(type, id, "2024-02-01T00:00:00.000Z");
        var v3 = Stix.Custom(type, id, "2024-03-01T00:00:00.000Z");
        var other = Stix.Custom(type);
        await api.PostObjectsAsync([v1, v2, v3]);
        var (_, firstPage, firstResponse) = await api.GetAsync(TaxiiFactory.Collection + $"objects/?match[type]={type}");
        var afterFirst = firstResponse.Headers.GetValues("X-TAXII-Date-Added-Last").Single();
        await api.PostObjectsAsync([other]);

        async Task<List<string>> Versions(string query) =>
            [.. (await api.PageAllAsync("objects/", $"match[type]={type}&{query}")).Select(o => o["id"]!.GetValue<string>() + "@" + o["modified"]!.GetValue<string>())];

        string Key(JsonObject o) => o["id"]!.GetValue<string>() + "@" + o["modified"]!.GetValue<string>();

        // Default is the last version of each object.
        Assert.Equal([Key(v3)], firstPage["objects"]!.AsArray().Select(o => Key(o!.AsObject())));
        Assert.Equal([Key(v3), Key(other)], await Versions(""));
        Assert.Equal([Key(v1), Key(other)], await Versions("match[version]=first"));
        Assert.Equal([Key(v1), Key(v2), Key(v3), Key(other)], await Versions("match[version]=all"));
        Assert.Equal([Key(v1), Key(v3), Key(other)], await Versions("match[version]=first,last"));
        Assert.Equal([Key(v2)], await Versions("match[version]=2024-02-01T00:00:00.000Z"));
        Assert.Equal([Key(v1), Key(v2), Key(v3)], await Versions($"match[id]={id}&match[version]=all"));
        Assert.Equal([Key(v3), Key(other)], await Versions("match[spec_version]=2.1"));
        Assert.Empty(await Versions("match[spec_version]=2.0"));
        Assert.Equal([Key(other)], await Versions("added_after=" + afterFirst));
        Assert.Empty(await api.PageAllAsync("objects/", $"match[type]={type}-none"));

        // objects/{id}: last by default, all versions on request; versions/: every version string.
        var (_, single, _) = await api.GetAsync(TaxiiFactory.Collection + $"objects/{id}/");
        Assert.Equal([Key(v3)], single["objects"]!.AsArray().Select(o => Key(o!.AsObject())));
        var (_, allOfIt, _) = await api.GetAsync(TaxiiFactory.Collection + $"objects/{id}/?match[version]=all");
        Assert.Equal(3, allOfIt["objects"]!.AsArray().Count);
        var (_, versions, versionsResponse) = await api.GetAsync(TaxiiFactory.Collection + $"objects/{id}/versions/");
        Assert.Equal(["2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"],
            versions["versions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.False(versions["more"]!.GetValue<bool>());
        Assert.True(versionsResponse.Headers.Contains("X-TAXII-Date-Added-First"));
        var (_, paged, _) = await api.GetAsync(TaxiiFactory.Collection + $"objects/{id}/versions/?limit=2");
        Assert.True(paged["more"]!.GetValue<bool>());
        Assert.Equal(2, paged["versions"]!.AsArray().Count);

        // Manifest: one record per object version, with date_added and media type.
        var manifest = await api.PageAllAsync("manifest/", $"match[type]={type}&match[version]=all");
        Assert.Equal([Key(v1), Key(v2), Key(v3), Key(other)], manifest.Select(m => m["id"]!.GetValue<string>() + "@" + m["version"]!.GetValue<string>()));
        Assert.All(manifest, m => Assert.Equal("application/stix+json;version=2.1", m["media_type"]!.GetValue<string>()));
        var added = manifest.Select(m => m["date_added"]!.GetValue<string>()).ToList();
        Assert.Equal(added.Order(StringComparer.Ordinal), added);
        Assert.Equal(added.Count, added.Distinct().Count());
    }

    [Fact]
    public async Task Date_added_headers_give_the_first_and_last_of_the_page()
    {
        var type = Stix.NewType();
        await api.PostObjectsAsync([Stix.Custom(type), Stix.Custom(type), Stix.Custom(type)]);
        var manifest = await api.PageAllAsync("manifest/", $"match[type]={type}");
        var (_, _, response) = await api.GetAsync(TaxiiFactory.Collection + $"objects/?match[type]={type}&limit=2");
        Assert.Equal(manifest[0]["date_added"]!.GetValue<string>(), response.Headers.GetValues("X-TAXII-Date-Added-First").Single());
        Assert.Equal(manifest[1]["date_added"]!.GetValue<string>(), response.Headers.GetValues("X-TAXII-Date-Added-Last").Single());
    }

    [Fact]
    public async Task Ingest_by_rest_lands_in_the_collection_too()
    {
        var type = Stix.NewType();
        var obj = Stix.Custom(type);
        using var client = api.TaxiiClientFor();
        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray(obj.DeepClone()) };
        using var content = new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/bundles", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = await api.PageAllAsync("objects/", $"match[type]={type}");
        Assert.True(JsonNode.DeepEquals(obj, served.Single()));
    }

    [Fact]
    public async Task An_amber_jp_object_is_invisible_to_us_cisa_on_every_taxii_path()
    {
        var type = Stix.NewType();
        var hidden = Stix.Custom(type, marking: Tlp.AmberId);
        var shared = Stix.Custom(type, marking: Tlp.AmberId, recipients: "us-cisa");
        var green = Stix.Custom(type, marking: Tlp.GreenId);
        await api.PostObjectsAsync([hidden, shared, green]);
        var hiddenId = hidden["id"]!.GetValue<string>();

        static List<string> Ids(IEnumerable<JsonObject> objects) => [.. objects.Select(o => o["id"]!.GetValue<string>()).Order()];
        var all = Ids([hidden, shared, green]);
        var forUs = Ids([shared, green]);
        Assert.Equal(all, Ids(await api.PageAllAsync("objects/", $"match[type]={type}", K.JpAnalyst2)));
        Assert.Equal(forUs, Ids(await api.PageAllAsync("objects/", $"match[type]={type}", K.UsAnalyst)));
        Assert.Equal(forUs, Ids(await api.PageAllAsync("objects/", $"match[type]={type}&limit=1", K.UsAnalyst)));
        Assert.Equal(forUs, Ids(await api.PageAllAsync("manifest/", $"match[type]={type}&match[version]=all", K.UsAnalyst)));
        Assert.Equal(forUs, Ids(await api.PageAllAsync("objects/", $"match[type]={type}", K.IsacAnalyst)));
        Assert.Empty(await api.PageAllAsync("objects/", $"match[id]={hiddenId}", K.UsAnalyst));

        foreach (var path in new[] { $"objects/{hiddenId}/", $"objects/{hiddenId}/versions/", $"objects/{hiddenId}/?match[version]=all" })
        {
            var (status, body, _) = await api.GetAsync(TaxiiFactory.Collection + path, K.UsAnalyst);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.DoesNotContain("x_threatgraph", body.ToJsonString());
            var (visible, _, _) = await api.GetAsync(TaxiiFactory.Collection + path, K.JpAnalyst);
            Assert.Equal(HttpStatusCode.OK, visible);
        }
        // And not in any page of the whole collection.
        foreach (var resource in new[] { "objects/", "manifest/" })
        {
            using var client = api.TaxiiClientFor(K.UsAnalyst);
            string? next = null;
            do
            {
                var text = await client.GetStringAsync(TaxiiFactory.Collection + resource + "?match[version]=all&limit=500" + (next is null ? "" : "&next=" + next));
                Assert.DoesNotContain(hiddenId, text);
                next = JsonNode.Parse(text)!["next"]?.GetValue<string>();
            }
            while (next is not null);
        }
    }

    static void AssertTaxii(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType!;
        Assert.Equal("application/taxii+json", type.MediaType);
        Assert.Equal("2.1", type.Parameters.Single(p => p.Name == "version").Value);
    }

    static StringContent Envelope(string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
