using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// The host for the API tests (<see cref="ThreatGraphHostFactory{TProgram}"/>) with the abuse limits lifted, MISP's
/// warninglists, and GraphQL and REST helpers.
/// </summary>
public class ApiFactory : ThreatGraphHostFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Tests share one host per collection and may send hundreds of requests (fuzzing): the rate limit has its own
        // test (AbuseLimitTests, which sets it low again), so lift it here.
        builder.UseSetting("Security:RequestsPerSecond", "100000");
        builder.UseSetting("Security:Burst", "100000");
        // All test-server requests come from one (unknown) address: the failed-authentication limit has its own test
        // (FailedAuthenticationLimitTests, which sets it low again), so lift it here too.
        builder.UseSetting("Security:FailedAuthPerSecond", "100000");
        builder.UseSetting("Security:FailedAuthBurst", "100000");
        // Likewise the per-organisation write quota (WriteQuotaTests sets it low on a host of its own).
        builder.UseSetting("Ingest:OrgBytesPerMinute", "1099511627776");
        builder.UseSetting("Ingest:OrgObjectsPerMinute", "1000000000");
        // The product ships no warninglists; the tests use MISP's from the shared test data.
        builder.UseSetting("Correlation:WarninglistsPath", SharedData.PathOf("misp/warninglists"));
        base.ConfigureWebHost(builder); // ports, cluster, and the settings given with UseSetting, which win
    }

    /// <summary>What a current GraphQL client accepts: 400 for a document that does not validate. A client that names no
    /// media type is served application/json, with 200 for every well-formed request (GraphQL over HTTP, legacy).</summary>
    public const string GraphQLAccept = "application/graphql-response+json, application/json;q=0.9";

    /// <summary>POSTs a GraphQL request as a current client and returns the parsed response (status must be the expected one).</summary>
    public async Task<JsonObject> GraphQLAsync(string query, object? variables = null, HttpStatusCode expected = HttpStatusCode.OK, string apiKey = DevKeys.JpAnalyst)
    {
        using var client = ClientFor(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.TryAddWithoutValidation("Accept", GraphQLAccept);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>GraphQL data of a request that must succeed without errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null, string apiKey = DevKeys.JpAnalyst)
    {
        var result = await GraphQLAsync(query, variables, apiKey: apiKey);
        Assert.True(result["errors"] is null, "unexpected GraphQL errors: " + result["errors"]?.ToJsonString());
        return result["data"]!.AsObject();
    }

    public async Task<(HttpStatusCode Status, JsonObject Body)> PostBundleAsync(byte[] body, string contentType = "application/json", string apiKey = DevKeys.JpAnalyst)
    {
        using var client = ClientFor(apiKey);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync("/api/bundles", content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public Task<(HttpStatusCode Status, JsonObject Body)> PostBundleAsync(string json, string apiKey = DevKeys.JpAnalyst) =>
        PostBundleAsync(Encoding.UTF8.GetBytes(json), apiKey: apiKey);

    /// <summary>Posts the objects as one bundle as the key's caller and asserts that every one was accepted.</summary>
    public async Task PostAcceptedAsync(string apiKey, params JsonObject[] objects)
    {
        var (status, body) = await PostBundleAsync(Bundle(objects), apiKey: apiKey);
        Assert.True(status == HttpStatusCode.OK && body["totals"]!["rejected"]!.GetValue<int>() == 0, body.ToJsonString());
    }

    public static string Bundle(params JsonObject[] objects) =>
        new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray([.. objects]) }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}
