using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ThreatGraph.GraphApi.Transport.Tests;

/// <summary>A repeated document skips the parse and GraphQL's core rules; nothing else about the request may change.</summary>
public sealed class ValidatedDocumentsTests
{
    private static readonly int[] NotAString = [1, 2];

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string query, object? variables = null)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var response = await client.PostAsync("/graphql", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task A_repeated_document_answers_as_the_first_did_with_its_own_variables()
    {
        await using var host = await TransportTestHost.StartAsync();
        using var client = host.CreateClient();
        var cache = host.Services.GetRequiredService<ValidatedDocuments>();
        const string query = "query($n: String) { hello(name: $n) }";

        var first = await PostAsync(client, query, new { n = "Ada" });
        Assert.Equal(1, cache.Count);
        var second = await PostAsync(client, query, new { n = "Grace" });
        Assert.Equal(1, cache.Count);
        Assert.Equal("Hello, Ada!", first.Body.GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal("Hello, Grace!", second.Body.GetProperty("data").GetProperty("hello").GetString());

        // The variables are still coerced on a repeat: a wrong type is refused, not run.
        var wrong = await PostAsync(client, query, new { n = NotAString });
        Assert.True(wrong.Body.TryGetProperty("errors", out var errors));
        Assert.Contains("n", errors[0].GetProperty("message").GetString());
        Assert.False(wrong.Body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object);
    }

    [Fact]
    public async Task An_invalid_document_is_not_kept_and_is_refused_every_time()
    {
        await using var host = await TransportTestHost.StartAsync();
        using var client = host.CreateClient();
        var cache = host.Services.GetRequiredService<ValidatedDocuments>();
        for (var i = 0; i < 2; i++)
        {
            var (_, body) = await PostAsync(client, "{ hello nosuchfield }");
            Assert.Contains("nosuchfield", body.GetProperty("errors")[0].GetProperty("message").GetString());
        }
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_mutation_kept_from_a_POST_is_still_refused_over_GET()
    {
        await using var host = await TransportTestHost.StartAsync();
        using var client = host.CreateClient();
        const string mutation = "mutation { echo(text: \"x\") }";
        var (status, _) = await PostAsync(client, mutation);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, host.Services.GetRequiredService<ValidatedDocuments>().Count);

        using var get = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(mutation));
        get.Headers.TryAddWithoutValidation("Accept", "application/graphql-response+json");
        using var response = await client.SendAsync(get);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public void The_cache_starts_over_when_full_and_keeps_no_long_texts()
    {
        var cache = new ValidatedDocuments();
        var document = new GraphQLParser.AST.GraphQLDocument([]);
        for (var i = 0; i < ValidatedDocuments.Capacity; i++)
        {
            cache.Add("{ a" + i + " }", document);
        }
        Assert.Equal(ValidatedDocuments.Capacity, cache.Count);
        cache.Add("{ one_more }", document);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("{ one_more }", out _));
        cache.Add(new string(' ', ValidatedDocuments.MaxQueryLength + 1), document);
        Assert.Equal(1, cache.Count);
    }
}
