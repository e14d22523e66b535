using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Taxii;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>The authorization policies in the pipeline (README "Who sees what", access rules): the refusal of each
/// surface in its own error shape, the fallback policy, and that passing the policies says nothing about which
/// objects a caller sees (the TLP access policy still decides, also for a hostile organisation's valid key).</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessPolicyTests(ApiFactory api)
{
    static readonly string Objects = $"/taxii2/threatgraph/collections/{TaxiiCollections.DefaultId}/objects/";
    const string TaxiiType = "application/taxii+json;version=2.1";

    [Fact]
    public async Task A_missing_ingest_role_is_403_in_the_rest_shape_recorded_and_nothing_is_written()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        var campaign = StixBuilder.Sdo("campaign", name: "posted by an auditor over REST");
        using var auditor = api.ClientFor(K.JpAuditor);
        using var response = await auditor.PostAsync("/api/bundles", new StringContent(ApiFactory.Bundle(campaign), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("FORBIDDEN", error["code"]!.GetValue<string>());
        Assert.Equal("your credentials may not do this: it needs the 'ingest' role", error["message"]!.GetValue<string>());
        await AssertInvisibleAsync(campaign);
        var log = (await api.DataAsync("query($from: String!) { auditLog(from: $from, first: 1000) { keyId operation isWrite outcome } }",
            new { from }, K.JpAuditor))["auditLog"]!.AsArray();
        Assert.Contains(log, r => r!["keyId"]!.GetValue<string>() == "jp-auditor" && r["operation"]!.GetValue<string>() == "rest POST /api/bundles"
            && r["isWrite"]!.GetValue<bool>() && r["outcome"]!.GetValue<string>() == "forbidden");
    }

    [Fact]
    public async Task A_missing_ingest_role_is_403_as_a_taxii_error_resource_and_nothing_is_written()
    {
        var campaign = StixBuilder.Sdo("campaign", name: "posted by an auditor over TAXII");
        using var auditor = api.ClientFor(K.JpAuditor);
        using var envelope = new StringContent(new JsonObject { ["objects"] = new JsonArray(campaign) }.ToJsonString());
        envelope.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(TaxiiType);
        using var response = await auditor.PostAsync(Objects, envelope);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/taxii+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("403", body["http_status"]!.GetValue<string>());
        Assert.Equal("Forbidden", body["title"]!.GetValue<string>());
        Assert.Contains("'ingest' role", body["description"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertInvisibleAsync(campaign);
    }

    [Fact]
    public async Task A_missing_ingest_role_is_a_graphql_field_error_and_nothing_is_written()
    {
        var campaign = StixBuilder.Sdo("campaign", name: "posted by an auditor over GraphQL");
        var result = await api.GraphQLAsync("mutation($b: String!) { ingestBundle(bundle: $b) { totals { created } } }",
            new { b = ApiFactory.Bundle(campaign) }, apiKey: K.JpAuditor);

        var error = Assert.Single(result["errors"]!.AsArray())!;
        Assert.Equal("FORBIDDEN", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("your credentials may not do this: it needs the 'ingest' role", error["message"]!.GetValue<string>());
        Assert.Null(result["data"]);
        await AssertInvisibleAsync(campaign);
    }

    [Fact]
    public async Task Without_credentials_each_surface_answers_401_in_its_own_shape_with_the_schemes_to_use()
    {
        using var anonymous = api.ClientFor(null);
        using var graphql = await anonymous.PostAsJsonAsync("/graphql", new { query = "{ typeCounts { type } }" });
        using var rest = await anonymous.GetAsync($"/api/objects/{StixBuilder.NewId("campaign")}");
        foreach (var response in new[] { graphql, rest })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("ApiKey, Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal("UNAUTHENTICATED", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        }
        using var taxii = await anonymous.GetAsync(Objects);
        Assert.Equal(HttpStatusCode.Unauthorized, taxii.StatusCode);
        Assert.Equal("application/taxii+json", taxii.Content.Headers.ContentType?.MediaType);
        Assert.Equal("401", JsonNode.Parse(await taxii.Content.ReadAsStringAsync())!["http_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_path_no_endpoint_claims_falls_back_to_needing_a_caller_while_health_probes_stay_open()
    {
        using var anonymous = api.ClientFor(null);
        using var unmapped = await anonymous.GetAsync("/api/no-such-resource");
        Assert.Equal(HttpStatusCode.Unauthorized, unmapped.StatusCode);
        using var analyst = api.ClientFor(K.JpAnalyst);
        using var known = await analyst.GetAsync("/api/no-such-resource");
        Assert.Equal(HttpStatusCode.NotFound, known.StatusCode);
        using var live = await anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task A_hostile_organisations_valid_key_passes_the_policies_but_sees_only_what_tlp_lets_it_see()
    {
        var red = StixBuilder.Sdo("campaign", name: "jp red, not for us-cisa");
        red["object_marking_refs"] = new JsonArray(Tlp.RedId);
        var green = StixBuilder.Sdo("campaign", name: "jp green, for the community");
        green["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        await api.PostAcceptedAsync(K.JpAnalyst, red, green);
        string Id(JsonObject o) => o["id"]!.GetValue<string>();

        using var hostile = api.ClientFor(K.UsAnalyst);
        using (var restRed = await hostile.GetAsync($"/api/objects/{Id(red)}"))
        using (var restGreen = await hostile.GetAsync($"/api/objects/{Id(green)}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, restRed.StatusCode);
            Assert.DoesNotContain("not for us-cisa", await restRed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, restGreen.StatusCode);
        }
        using (var taxiiRed = await hostile.GetAsync($"{Objects}{Id(red)}/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, taxiiRed.StatusCode);
        }
        var data = await api.DataAsync("query($r: ID!, $g: ID!) { r: object(id: $r) { id } g: object(id: $g) { id } }",
            new { r = Id(red), g = Id(green) }, K.UsAnalyst);
        Assert.Null(data["r"]);
        Assert.Equal(Id(green), data["g"]!["id"]!.GetValue<string>());
        using var own = await api.ClientFor(K.JpAnalyst).GetAsync($"/api/objects/{Id(red)}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Taxii_can_write_is_what_the_ingest_policy_says_of_the_caller()
    {
        foreach (var (key, canWrite) in new[] { (K.JpAnalyst, true), (K.JpAuditor, false) })
        {
            using var client = api.ClientFor(key);
            var collection = JsonNode.Parse(await client.GetStringAsync(Objects[..^"objects/".Length]))!;
            Assert.True(canWrite == collection["can_write"]!.GetValue<bool>(), $"{key}: {collection.ToJsonString()}");
        }
    }

    async Task AssertInvisibleAsync(JsonObject campaign)
    {
        using var analyst = api.ClientFor(K.JpAnalyst);
        using var response = await analyst.GetAsync($"/api/objects/{campaign["id"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
