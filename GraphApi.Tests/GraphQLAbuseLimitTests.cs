using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 11, rows 7 and 12 on the real host with its default limits: documents that cost exponential or quadratic
/// validation, or that overflowed the stack, are refused with 400 naming the <c>Api:</c> setting; over WebSocket they get
/// an <c>error</c> and the connection keeps working; one organisation's bombs leave another's answers intact; a
/// connection holds at most <c>Api:MaxOperationsPerConnection</c> operations.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class GraphQLAbuseLimitTests(ApiFactory api)
{
    /// <summary>Nesting depths of the fragment bombs sent at once.</summary>
    static readonly int[] BombLevels = [26, 30, 26, 30];

    /// <summary>The issue's bomb: F0..F(levels-1) each spread the next twice; the last selects <c>typeCounts { type }</c>.</summary>
    static string FragmentBomb(int levels)
        => "query { ...F0 }\n"
           + string.Concat(Enumerable.Range(0, levels).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n"))
           + $"fragment F{levels} on Query {{ typeCounts {{ type }} }}\n";

    static string FragmentChain(int length)
        => "query { ...F0 }\n"
           + string.Concat(Enumerable.Range(0, length).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} }}\n"))
           + $"fragment F{length} on Query {{ typeCounts {{ type }} }}\n";

    static string FirstError(JsonObject result) => result["errors"]![0]!["message"]!.GetValue<string>();

    [Fact]
    public async Task Fragment_bombs_are_refused_naming_Api_MaxExpandedFields_and_another_organisation_is_answered_correctly()
    {
        var campaign = StixBuilder.Sdo("campaign", name: "abuse bystander " + Guid.NewGuid().ToString("N")[..8]);
        campaign["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var id = campaign["id"]!.GetValue<string>();
        var (status, _) = await api.PostBundleAsync(ApiFactory.Bundle(campaign), apiKey: K.UsAnalyst);
        Assert.Equal(HttpStatusCode.OK, status);
        const string Read = "query($id: ID!) { object(id: $id) { id name } }";

        // jp-nisc sends 2^26 and 2^30 bombs while us-cisa reads its campaign
        var bombs = BombLevels.Select(levels => api.GraphQLAsync(FragmentBomb(levels), expected: HttpStatusCode.BadRequest, apiKey: K.JpAnalyst)).ToList();
        var during = api.DataAsync(Read, new { id }, K.UsAnalyst);
        var refused = await Task.WhenAll(bombs);
        var read = await during;

        // 2^26 is refused for its size; 2^30 already for its depth (30 fragments deep, plus the two fields)
        Assert.Equal(
            "The document selects more than 10000 fields once its fragments are expanded; the limit is set by Api:MaxExpandedFields. Split it into smaller requests.",
            FirstError(refused[0]));
        Assert.Equal(
            "Selections nest more than 32 levels deep (fields, inline fragments and fragment spreads, with fragments expanded); the limit is set by Api:MaxSelectionDepth. Split it into smaller requests.",
            FirstError(refused[1]));
        Assert.Equal(FirstError(refused[0]), FirstError(refused[2]));
        Assert.Equal(FirstError(refused[1]), FirstError(refused[3]));
        Assert.All(refused, r => Assert.Null(r["data"]));
        Assert.Equal(campaign["name"]!.GetValue<string>(), read["object"]!["name"]!.GetValue<string>());
        var after = await api.DataAsync(Read, new { id }, K.UsAnalyst);
        Assert.Equal(id, after["object"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Eight_thousand_duplicate_fields_are_refused_without_quadratic_validation()
    {
        // the issue's 160 KB document is over the token limit before it is even parsed …
        var issue = await api.GraphQLAsync("{ " + string.Concat(Enumerable.Repeat("typeCounts { type } ", 8000)) + "}", expected: HttpStatusCode.BadRequest);
        Assert.Contains("Api:MaxQueryTokens", FirstError(issue), StringComparison.Ordinal);

        // … and 8,000 repeats of one leaf fit in the tokens but not in the repeat limit
        var leaves = await api.GraphQLAsync("{ typeCounts { " + string.Concat(Enumerable.Repeat("type ", 8000)) + "} }", expected: HttpStatusCode.BadRequest);
        Assert.Equal(
            "The response field 'type' is selected more than 30 times (repeated directly, through fragments or under repeated parent fields); the limit is set by Api:MaxFieldRepeats. Split it into smaller requests.",
            FirstError(leaves));
    }

    [Fact]
    public async Task Fragment_chains_are_refused_instead_of_overflowing_the_stack()
    {
        // 20,000 fragments each spreading the next (780 KB) ended the whole silo with a stack overflow
        var huge = await api.GraphQLAsync(FragmentChain(20_000), expected: HttpStatusCode.BadRequest);
        Assert.Contains("more than 10000 tokens", FirstError(huge), StringComparison.Ordinal);
        Assert.Contains("Api:MaxQueryTokens", FirstError(huge), StringComparison.Ordinal);

        var deep = await api.GraphQLAsync(FragmentChain(200), expected: HttpStatusCode.BadRequest);
        Assert.Contains("Selections nest more than 32 levels deep", FirstError(deep), StringComparison.Ordinal);
        Assert.Contains("Api:MaxSelectionDepth", FirstError(deep), StringComparison.Ordinal);

        Assert.NotNull((await api.DataAsync(FragmentChain(20)))["typeCounts"]);
    }

    [Fact]
    public async Task A_fragment_bomb_over_websocket_gets_error_and_the_connection_keeps_working()
    {
        await using var socket = await HostSockets.ConnectAckedAsync(api, K.JpAnalyst);

        await socket.SubscribeAsync("bomb", FragmentBomb(26));
        var error = await socket.ReceiveMessageAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("bomb", error.GetProperty("id").GetString());
        Assert.Contains("Api:MaxExpandedFields", error.GetProperty("payload")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        await socket.SubscribeAsync("after", "{ typeCounts { type } }");
        var next = await socket.ReceiveMessageAsync();
        Assert.Equal("next", next.GetProperty("type").GetString());
        Assert.Equal("after", next.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Array, next.GetProperty("payload").GetProperty("data").GetProperty("typeCounts").ValueKind);
        Assert.Equal("complete", (await socket.ReceiveMessageAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_21st_operation_on_a_connection_is_refused_naming_the_setting_and_the_first_20_keep_delivering()
    {
        var campaign = StixBuilder.Sdo("campaign", name: "twenty listeners " + Guid.NewGuid().ToString("N")[..8]);
        campaign["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var campaignId = campaign["id"]!.GetValue<string>();
        await api.PostBundleAsync(ApiFactory.Bundle(campaign), apiKey: K.UsAnalyst);
        var subscription = $$"""subscription { campaignUpdated(campaignId: "{{campaignId}}") { kinds newMemberIds } }""";
        await using var socket = await HostSockets.ConnectAckedAsync(api, K.UsAnalyst);

        var ids = Enumerable.Range(1, 20).Select(i => "s" + i).ToHashSet();
        foreach (var id in ids)
        {
            await socket.SubscribeAsync(id, subscription);
        }
        await ReceiveFromEachAsync(socket, ids, d => d.GetProperty("kinds").EnumerateArray().Any(k => k.GetString() == "SUBSCRIBED"));

        await socket.SubscribeAsync("s21", subscription);
        var refused = await socket.ReceiveMessageAsync();
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("s21", refused.GetProperty("id").GetString());
        Assert.Equal(
            "This connection already has 20 active operations; complete one before subscribing again (the limit is set by Api:MaxOperationsPerConnection).",
            refused.GetProperty("payload")[0].GetProperty("message").GetString());

        var incident = StixBuilder.Sdo("incident", name: "for twenty listeners");
        incident["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var link = StixBuilder.Relationship(incident["id"]!.GetValue<string>(), "related-to", campaignId);
        link["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        await api.PostBundleAsync(ApiFactory.Bundle(incident, link), apiKey: K.UsAnalyst);
        await ReceiveFromEachAsync(socket, ids, d => d.GetProperty("newMemberIds").EnumerateArray().Any(x => x.GetString() == incident["id"]!.GetValue<string>()));
    }

    /// <summary>Reads until every subscription in <paramref name="ids"/> got a <c>next</c> whose campaignUpdated matches.</summary>
    static async Task ReceiveFromEachAsync(WsTestClient socket, IReadOnlySet<string> ids, Func<JsonElement, bool> matches)
    {
        var waiting = new HashSet<string>(ids);
        var until = DateTime.UtcNow + WsTestClient.Deadline;
        while (waiting.Count > 0)
        {
            Assert.True(DateTime.UtcNow < until, "no matching event for " + string.Join(", ", waiting));
            var message = await socket.ReceiveMessageAsync();
            var type = message.GetProperty("type").GetString();
            Assert.True(type == "next", "unexpected " + message);
            if (matches(message.GetProperty("payload").GetProperty("data").GetProperty("campaignUpdated")))
            {
                waiting.Remove(message.GetProperty("id").GetString()!);
            }
        }
    }

    [Fact]
    public async Task The_standard_introspection_query_is_answered_but_data_queries_as_deep_are_still_refused()
    {
        // Every GraphQL client sends this 16-level query; it reads the schema only, so Api:MaxQueryDepth does not stop it.
        var schema = await api.DataAsync(Introspection.Query, apiKey: K.UsAnalyst);
        var types = schema["__schema"]!["types"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("Campaign", types);
        Assert.Equal("Query", schema["__schema"]!["queryType"]!["name"]!.GetValue<string>());

        // Graph data next to __schema, or a data query of the same depth, still meets the complexity analyser.
        var deepData = "{ __typename campaigns { edges { node { " + string.Concat(Enumerable.Repeat("relationships { edges { node { peer { ", 3))
            + "id" + string.Concat(Enumerable.Repeat(" } } } }", 3)) + " } } } }";
        var refused = await api.GraphQLAsync(deepData, expected: HttpStatusCode.BadRequest, apiKey: K.UsAnalyst);
        Assert.Null(refused["data"]);
        Assert.Contains("depth", FirstError(refused), StringComparison.OrdinalIgnoreCase); // 16 levels, Api:MaxQueryDepth 12
    }
}
