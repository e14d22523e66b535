using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 11 row 10: per-request object count and per-organisation write quota, on a host of its own with tiny limits:
/// 5 objects per request, 6 objects and 16 KiB per organisation per minute. The quota refills continuously (one
/// object every 10 s here), so a test that spends it sees the refusal well before a token comes back.
/// </summary>
public sealed class WriteQuotaTests(WriteQuotaTests.Host host) : IClassFixture<WriteQuotaTests.Host>
{
    public sealed class Host : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Ingest:MaxObjectsPerRequest", "5");
            builder.UseSetting("Ingest:OrgObjectsPerMinute", "6");
            builder.UseSetting("Ingest:OrgBytesPerMinute", "16384");
        }
    }

    const string Collection = "/taxii2/threatgraph/collections/9f5c1c43-5d3e-4b8e-9a4f-7b1d2c0e6a51/objects/";

    /// <summary>A bundle of copies (an object may be sent several times).</summary>
    static string Bundle(params JsonObject[] objects) => ApiFactory.Bundle([.. objects.Select(o => o.DeepClone().AsObject())]);

    static JsonObject[] Objects(int n, string name) =>
        [.. Enumerable.Range(0, n).Select(i => StixBuilder.Sdo("campaign", name: $"{name} {i}"))];

    [Fact]
    public async Task More_objects_than_the_request_limit_is_a_413_on_every_path_and_writes_nothing()
    {
        var six = Objects(6, "too many");
        var (status, body) = await host.PostBundleAsync(Bundle(six), apiKey: DevKeys.UsAnalyst);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("TOO_MANY_OBJECTS", body["error"]!["code"]!.GetValue<string>());
        Assert.Contains("6 objects; the limit is 5 (Ingest:MaxObjectsPerRequest)", body["error"]!["message"]!.GetValue<string>());

        var gql = await host.GraphQLAsync("mutation($b: String!) { ingestBundle(bundle: $b) { totals { created } } }",
            new { b = Bundle(six) }, apiKey: DevKeys.UsAnalyst);
        Assert.Equal("TOO_MANY_OBJECTS", gql["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());

        using var taxii = await PostTaxiiAsync(DevKeys.UsAnalyst, six);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, taxii.StatusCode);
        Assert.Contains("Ingest:MaxObjectsPerRequest", await taxii.Content.ReadAsStringAsync());

        await AssertAbsentAsync(six);
    }

    [Fact]
    public async Task Over_its_object_quota_an_organisation_gets_429_with_retry_after_and_another_organisation_still_writes()
    {
        // jp-nisc spends 5 of its 6 objects; 2 more do not fit.
        var (first, _) = await host.PostBundleAsync(Bundle(Objects(5, "jp quota")), apiKey: DevKeys.JpAnalyst);
        Assert.Equal(HttpStatusCode.OK, first);

        var refused = Objects(2, "jp refused");
        using (var client = host.ClientFor(DevKeys.JpAnalyst2))
        using (var content = new StringContent(Bundle(refused), Encoding.UTF8, "application/json"))
        using (var response = await client.PostAsync("/api/bundles", content))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            var retry = response.Headers.RetryAfter?.Delta;
            Assert.NotNull(retry);
            Assert.InRange(retry.Value.TotalSeconds, 1, 60);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            Assert.Equal("WRITE_QUOTA_EXCEEDED", error["code"]!.GetValue<string>());
            Assert.Contains("jp-nisc", error["message"]!.GetValue<string>());
            Assert.Contains("6 objects per minute (Ingest:OrgObjectsPerMinute)", error["message"]!.GetValue<string>());
        }

        using (var taxii = await PostTaxiiAsync(DevKeys.JpAnalyst, refused))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, taxii.StatusCode);
            Assert.NotNull(taxii.Headers.RetryAfter?.Delta);
            var error = JsonNode.Parse(await taxii.Content.ReadAsStringAsync())!;
            Assert.Equal("429", error["http_status"]!.GetValue<string>());
            Assert.Contains("Ingest:OrgObjectsPerMinute", error["description"]!.GetValue<string>());
        }

        var gql = await host.GraphQLAsync("mutation($b: String!) { ingestBundle(bundle: $b) { totals { created } } }",
            new { b = Bundle(refused) }, apiKey: DevKeys.JpAnalyst);
        var gqlError = gql["errors"]![0]!;
        Assert.Equal("WRITE_QUOTA_EXCEEDED", gqlError["extensions"]!["code"]!.GetValue<string>());
        Assert.Matches(@"retry after \d+ s", gqlError["message"]!.GetValue<string>());
        await AssertAbsentAsync(refused);

        // us-cisa is not affected by jp-nisc's spending: its 5 objects go in, by REST and by TAXII.
        var us = Objects(5, "us unaffected");
        var (usStatus, usBody) = await host.PostBundleAsync(Bundle(us), apiKey: DevKeys.UsAnalyst);
        Assert.Equal(HttpStatusCode.OK, usStatus);
        Assert.Equal(5, usBody["totals"]!["created"]!.GetValue<int>());
        using var usTaxii = await PostTaxiiAsync(DevKeys.UsAnalyst, Objects(1, "us taxii"));
        Assert.Equal(HttpStatusCode.Accepted, usTaxii.StatusCode);
    }

    [Fact]
    public async Task Over_its_byte_quota_an_organisation_gets_429_naming_the_byte_quota()
    {
        // it-isac: two objects of ~9 KB do not fit in 16 KiB; a body larger than the whole quota can never fit: 413.
        var first = StixBuilder.Sdo("campaign", name: "isac bytes 1");
        first["description"] = new string('b', 9000);
        var (ok, _) = await host.PostBundleAsync(Bundle(first), apiKey: DevKeys.IsacAnalyst);
        Assert.Equal(HttpStatusCode.OK, ok);

        var second = StixBuilder.Sdo("campaign", name: "isac bytes 2");
        second["description"] = new string('b', 9000);
        var (limited, body) = await host.PostBundleAsync(Bundle(second), apiKey: DevKeys.IsacAnalyst);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.Contains("16384 bytes per minute (Ingest:OrgBytesPerMinute)", body["error"]!["message"]!.GetValue<string>());

        var huge = StixBuilder.Sdo("campaign", name: "isac bytes 3");
        huge["description"] = new string('b', 20000);
        var (tooBig, hugeBody) = await host.PostBundleAsync(Bundle(huge), apiKey: DevKeys.IsacAnalyst);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig);
        Assert.Contains("Ingest:OrgBytesPerMinute", hugeBody["error"]!["message"]!.GetValue<string>());
        await AssertAbsentAsync([second, huge]);
    }

    async Task<HttpResponseMessage> PostTaxiiAsync(string apiKey, JsonObject[] objects)
    {
        using var client = host.ClientFor(apiKey);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        var envelope = new JsonObject { ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) };
        using var content = new StringContent(envelope.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/taxii+json;version=2.1");
        return await client.PostAsync(Collection, content);
    }

    async Task AssertAbsentAsync(IEnumerable<JsonObject> objects)
    {
        using var client = host.CreateClient();
        foreach (var o in objects)
        {
            using var read = await client.GetAsync($"/api/objects/{o["id"]}");
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }
    }
}
