using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// The real host (silo + gateway in one process, as <c>dotnet run --project Silo</c> starts it) on a test server,
/// with Orleans on free loopback ports so that several factories and a running dev server can coexist.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", "test-" + Guid.NewGuid().ToString("N"));
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>POSTs a GraphQL request and returns the parsed response (status must be the expected one).</summary>
    public async Task<JsonObject> GraphQLAsync(string query, object? variables = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/graphql", new { query, variables });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>GraphQL data of a request that must succeed without errors.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var result = await GraphQLAsync(query, variables);
        Assert.True(result["errors"] is null, "unexpected GraphQL errors: " + result["errors"]?.ToJsonString());
        return result["data"]!.AsObject();
    }

    public async Task<(HttpStatusCode Status, JsonObject Body)> PostBundleAsync(byte[] body, string contentType = "application/json")
    {
        using var client = CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync("/api/bundles", content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public Task<(HttpStatusCode Status, JsonObject Body)> PostBundleAsync(string json) => PostBundleAsync(Encoding.UTF8.GetBytes(json));

    public static string Bundle(params JsonObject[] objects) =>
        new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray([.. objects]) }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}
