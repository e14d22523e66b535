using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ThreatGraph.GraphApi.Transport.Tests.Schema;

namespace ThreatGraph.GraphApi.Transport.Tests;

public sealed class GraphQLHttpEndpointTests
{
    private const string GraphQLResponse = "application/graphql-response+json";

    private const string ModernAccept = "application/graphql-response+json, application/json;q=0.9";

    /// <summary>A request as a current client sends it (naming application/graphql-response+json); pass a null
    /// <paramref name="accept"/> for a legacy client that sends no Accept header.</summary>
    private static HttpRequestMessage Post(string body, string? contentType = "application/json", string? accept = ModernAccept)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return request;
    }

    private static HttpRequestMessage Get(string queryString, string? accept = ModernAccept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?" + queryString);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return request;
    }

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpRequestMessage request, Action<GraphQLTransportOptions>? configure = null)
    {
        await using var host = await TransportTestHost.StartAsync(configure);
        using var client = host.CreateClient();
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, body);
    }

    private static string ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType!.ToString();

    private static string FirstError(JsonElement body) => body.GetProperty("errors")[0].GetProperty("message").GetString()!;

    [Fact]
    public async Task Post_query_returns_200_with_graphql_response_json()
    {
        var (response, body) = await SendAsync(Post("""{"query":"{ hello }"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/graphql-response+json; charset=utf-8", ContentType(response));
        Assert.Equal("Hello, world!", body.GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task Post_uses_variables_and_operation_name()
    {
        var (response, body) = await SendAsync(Post(
            """{"query":"query A { a: hello } query B($n: String) { b: hello(name: $n) }","operationName":"B","variables":{"n":"Ada"},"extensions":{}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, Ada!", body.GetProperty("data").GetProperty("b").GetString());
    }

    [Fact]
    public async Task Get_query_with_variables_returns_200()
    {
        var query = Uri.EscapeDataString("query($n: String) { hello(name: $n) }");
        var variables = Uri.EscapeDataString("""{"n":"Bob"}""");
        var (response, body) = await SendAsync(Get($"query={query}&variables={variables}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GraphQLResponse, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Hello, Bob!", body.GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task Post_mutation_returns_200()
    {
        var (response, body) = await SendAsync(Post("""{"query":"mutation { echo(text: \"hi\") }"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hi", body.GetProperty("data").GetProperty("echo").GetString());
    }

    [Theory]
    [InlineData(null, "application/json")] // a client that names neither is a legacy client (issue 15)
    [InlineData("*/*", "application/json")]
    [InlineData("application/*", "application/json")]
    [InlineData("*/*, application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/json, application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json;q=0.5, application/json", "application/json")]
    [InlineData("*/*, application/graphql-response+json;q=0", "application/json")]
    public async Task Accept_header_selects_the_response_media_type(string? accept, string expected)
    {
        var (response, _) = await SendAsync(Post("""{"query":"{ hello }"}""", accept: accept));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected + "; charset=utf-8", ContentType(response));
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml, text/plain;q=0.5")]
    [InlineData("application/json;q=0, application/graphql-response+json;q=0")]
    public async Task Accept_that_cannot_be_served_returns_406(string accept)
    {
        var (response, body) = await SendAsync(Post("""{"query":"{ hello }"}""", accept: accept));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Contains("Accept", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_error_returns_400_without_data()
    {
        var (response, body) = await SendAsync(Post("""{"query":"{ nope }"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/graphql-response+json; charset=utf-8", ContentType(response));
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Contains("nope", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_error_returns_400_without_data()
    {
        var (response, body) = await SendAsync(Post("""{"query":"{ hello "}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Equal(JsonValueKind.Array, body.GetProperty("errors").ValueKind);
    }

    /// <summary>Issue 15: a client that sends no Accept header, or only <c>*/*</c>, is served as a legacy client:
    /// application/json, and 200 for a well-formed request even when the document does not validate.</summary>
    [Theory]
    [InlineData(null, "POST")]
    [InlineData("*/*", "POST")]
    [InlineData(null, "GET")]
    [InlineData("*/*", "GET")]
    public async Task A_client_naming_no_media_type_gets_application_json(string? accept, string method)
    {
        var ok = method == "POST" ? Post("""{"query":"{ hello }"}""", accept: accept) : Get("query=" + Uri.EscapeDataString("{ hello }"), accept);
        var (response, body) = await SendAsync(ok);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", ContentType(response));
        Assert.Equal("Hello, world!", body.GetProperty("data").GetProperty("hello").GetString());

        var invalid = method == "POST" ? Post("""{"query":"{ nope }"}""", accept: accept) : Get("query=" + Uri.EscapeDataString("{ nope }"), accept);
        (response, body) = await SendAsync(invalid);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", ContentType(response));
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Contains("nope", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_error_with_legacy_accept_returns_200_without_data()
    {
        var (response, body) = await SendAsync(Post("""{"query":"{ nope }"}""", accept: "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", ContentType(response));
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Single(body.GetProperty("errors").EnumerateArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    public async Task Get_mutation_returns_405_with_allow_post(string? accept)
    {
        var query = Uri.EscapeDataString("mutation { echo(text: \"x\") }");
        var (response, body) = await SendAsync(Get("query=" + query, accept));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Contains("POST", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_methods_return_405()
    {
        var (response, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Put, "/graphql")
        {
            Content = new StringContent("""{"query":"{ hello }"}""", Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/graphql")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData(null)]
    public async Task Unsupported_content_type_returns_415(string? contentType)
    {
        var (response, body) = await SendAsync(Post("""{"query":"{ hello }"}""", contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_content_type_with_utf8_charset_is_accepted()
    {
        var (response, _) = await SendAsync(Post("""{"query":"{ hello }"}""", "application/json; charset=UTF-8"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_the_limit_returns_413()
    {
        var body = $$$"""{"query":"{ hello }","extensions":{"pad":"{{{new string('x', 300)}}}"}}""";
        var (response, json) = await SendAsync(Post(body), o => o.MaxRequestBytes = 256);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("256", FirstError(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_returns_413()
    {
        var payload = Encoding.UTF8.GetBytes($$$"""{"query":"{ hello }","extensions":{"pad":"{{{new string('x', 300)}}}"}}""");
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StreamContent(new MemoryStream(payload)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.TransferEncodingChunked = true;

        var (response, _) = await SendAsync(request, o => o.MaxRequestBytes = 256);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Body_under_a_small_limit_is_served()
    {
        var (response, _) = await SendAsync(Post("""{"query":"{ hello }"}"""), o => o.MaxRequestBytes = 256);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    public async Task Malformed_json_returns_400_naming_line_and_column(string? accept)
    {
        var (response, body) = await SendAsync(Post("{\n  \"query\": }", accept: accept));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Matches("line 2, column \\d+", FirstError(body));
    }

    [Fact]
    public async Task Malformed_json_hides_reader_details_unless_exposed()
    {
        var (_, hidden) = await SendAsync(Post("{\"query\": }"));
        var (_, exposed) = await SendAsync(Post("{\"query\": }"), o => o.ExposeExceptionDetails = true);

        Assert.DoesNotContain("BytePositionInLine", FirstError(hidden), StringComparison.Ordinal);
        Assert.Contains("BytePositionInLine", FirstError(exposed), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"query": 42}""")]
    [InlineData("""[{"query":"{ hello }"}]""")]
    [InlineData("""{"operationName":"A"}""")]
    [InlineData("")]
    public async Task Request_that_is_not_a_graphql_request_returns_400(string body)
    {
        var (response, json) = await SendAsync(Post(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(json.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Get_without_query_returns_400()
    {
        var (response, _) = await SendAsync(Get("operationName=A"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_with_malformed_variables_returns_400()
    {
        var (response, body) = await SendAsync(Get("query=" + Uri.EscapeDataString("{ hello }") + "&variables=" + Uri.EscapeDataString("{oops")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("variables", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_over_http_returns_400()
    {
        var (response, body) = await SendAsync(Post("""{"query":"subscription { ticks(count: 1) }"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolver_exception_does_not_leak_details()
    {
        var (response, body) = await SendAsync(Post("""{"query":"{ boom }"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").GetProperty("boom").ValueKind);
        Assert.DoesNotContain("secret detail", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureExecution_hook_sees_the_http_context()
    {
        var request = Post("""{"query":"{ caller }"}""");
        request.Headers.Add("X-Caller", "alice");

        var (response, body) = await SendAsync(request, o => o.ConfigureExecution = (execution, http) =>
            execution.UserContext["caller"] = http.Request.Headers["X-Caller"].ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", body.GetProperty("data").GetProperty("caller").GetString());
    }

    private static string QueryBody(string query) => JsonSerializer.Serialize(new { query });

    [Fact]
    public async Task Fragment_bomb_is_refused_with_400_before_validation_and_the_server_keeps_answering()
    {
        await using var host = await TransportTestHost.StartAsync();
        using var client = host.CreateClient();

        using var bomb = await client.SendAsync(Post(QueryBody(GraphQLDocumentLimiterTests.FragmentBomb(30))));
        var body = JsonDocument.Parse(await bomb.Content.ReadAsStringAsync()).RootElement;
        using var after = await client.SendAsync(Post("""{"query":"{ hello }"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, bomb.StatusCode);
        Assert.Contains("more than 10000 fields once its fragments are expanded", FirstError(body), StringComparison.Ordinal);
        Assert.Contains("GraphQL:Transport:MaxExpandedFields", FirstError(body), StringComparison.Ordinal);
        Assert.Equal(GraphQLDocumentLimiter.ErrorCode, body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Eight_thousand_duplicate_fields_are_refused_with_400_naming_the_repeat_limit()
    {
        var (response, body) = await SendAsync(Post(QueryBody(GraphQLDocumentLimiterTests.Repeated("hello", 8000))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'hello' is selected more than 30 times", FirstError(body), StringComparison.Ordinal);
        Assert.Contains("GraphQL:Transport:MaxFieldRepeats", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_fragment_chain_is_refused_with_400_naming_the_depth_limit()
    {
        var (response, body) = await SendAsync(Post(QueryBody(GraphQLDocumentLimiterTests.FragmentChain(200))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("GraphQL:Transport:MaxSelectionDepth", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_limits_apply_to_get_requests_too()
    {
        var (response, body) = await SendAsync(Get("query=" + Uri.EscapeDataString(GraphQLDocumentLimiterTests.FragmentBomb(30))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("MaxExpandedFields", FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_disconnect_cancels_the_running_execution()
    {
        await using var host = await TransportTestHost.StartAsync();
        var probe = host.Services.GetRequiredService<WaitProbe>();
        using var client = host.CreateClient();
        using var gone = new CancellationTokenSource();

        var sending = client.SendAsync(Post("""{"query":"{ wait }"}"""), gone.Token);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await gone.CancelAsync();

        await probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Fact]
    public async Task Execution_over_the_time_budget_is_cancelled_and_answered_with_a_timeout_error()
    {
        var time = new FakeTimeProvider();
        await using var host = await TransportTestHost.StartAsync(o => o.MaxExecutionTime = TimeSpan.FromSeconds(5), time);
        var probe = host.Services.GetRequiredService<WaitProbe>();
        using var client = host.CreateClient();

        var sending = client.SendAsync(Post("""{"query":"{ wait }"}"""));
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        time.Advance(TimeSpan.FromSeconds(5));
        using var response = await sending;
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.True(probe.Cancelled.Task.IsCompleted, "the resolver's token was cancelled");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("The operation ran longer than 5 s and was cancelled.", FirstError(body));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task An_infinite_execution_budget_turns_the_budget_off()
    {
        var (response, body) = await SendAsync(Post("""{"query":"{ hello }"}"""), o => o.MaxExecutionTime = Timeout.InfiniteTimeSpan);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, world!", body.GetProperty("data").GetProperty("hello").GetString());
    }
}
