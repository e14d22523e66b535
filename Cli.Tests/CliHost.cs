using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ThreatGraph.Cli.Tests;

/// <summary>The real host on a test server for the tool to talk to; <see cref="Handler"/> is what the tool sends through.</summary>
public class CliHost : ThreatGraphHostFactory<global::Program>
{
    public const string Url = "http://localhost/";

    public HttpMessageHandler Handler => Server.CreateHandler();

    /// <summary>Runs the tool against this host.</summary>
    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(Handler, args);

    /// <summary>GraphQL data of a query that must succeed, as the key's caller.</summary>
    public async Task<JsonObject> DataAsync(string query, string apiKey)
    {
        using var client = ClientFor(apiKey);
        using var response = await client.PostAsJsonAsync("/graphql", new { query });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class CliHostCollection : ICollectionFixture<CliHost>
{
    public const string Name = "cli host";
}
