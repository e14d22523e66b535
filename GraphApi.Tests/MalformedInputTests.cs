using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 11 row 8: bad input gets a 4xx naming the problem and changes nothing. Each case is a bundle of three objects
/// of a type of its own: two good ones around a corrupted one. Through REST and GraphQL the corrupted object is rejected
/// with its JSON path; the good ones are stored, readable, indexed (search, typeCounts) and in the TAXII log; nothing of
/// the rejected one is readable. What cannot be attributed to one object (invalid UTF-8, a duplicate key in the
/// envelope) is a 400 for the whole body and writes nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MalformedInputTests(ApiFactory api)
{
    /// <summary>The bad object carries <c>"x_marker":"M"</c>, replaced in the bundle text by <paramref name="raw"/>.</summary>
    sealed record Case(string Type, string[] GoodIds, string BadId, string Bundle)
    {
        public static Case With(string raw)
        {
            var type = "x-in" + Guid.NewGuid().ToString("N")[..12];
            var good1 = StixBuilder.Sdo(type, name: "good one");
            var bad = StixBuilder.Sdo(type, name: "bad one");
            bad["x_marker"] = "M";
            var good2 = StixBuilder.Sdo(type, name: "good two");
            var bundle = ApiFactory.Bundle(good1, bad, good2).Replace("\"x_marker\":\"M\"", raw, StringComparison.Ordinal);
            return new Case(type, [Id(good1), Id(good2)], Id(bad), bundle);
        }
    }

    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    public static TheoryData<string, string, string> PerObjectCases => new()
    {
        // raw text replacing the marker, expected path, expected words in the message
        { "\"name\":\"second name\"", "$.objects[1].name", "duplicate property 'name'" },
        { "\"x_nested\":{\"a\":1,\"b\":2,\"a\":3}", "$.objects[1].x_nested.a", "duplicate property 'a'" },
        { "\"x_esc\":1,\"x_\\u0065sc\":2", "$.objects[1].x_esc", "duplicate property 'x_esc'" },
        { "\"description\":\"abc\\ud800def\"", "$.objects[1].description", "lone surrogate" },
        { "\"description\":\"abc\\udc00def\"", "$.objects[1].description", "lone surrogate" },
        { "\"description\":\"\\udc00\\ud800\"", "$.objects[1].description", "lone surrogate" },
        { "\"description\":\"ends with \\ud83d\"", "$.objects[1].description", "lone surrogate" },
        { "\"x_list\":[\"ok\",\"\\ud800\"]", "$.objects[1].x_list[1]", "lone surrogate" },
        { "\"x_\\ud800\":1", "$.objects[1]", "lone surrogate" },
    };

    [Theory]
    [MemberData(nameof(PerObjectCases))]
    public async Task Rest_rejects_only_the_corrupted_object_with_its_path_and_keeps_the_others(string raw, string path, string words)
    {
        var c = Case.With(raw);
        var (status, body) = await api.PostBundleAsync(c.Bundle);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {body.ToJsonString()}");
        AssertReport(body, c, path, words);
        await AssertGoodStoredAndBadAbsentAsync(c);
    }

    [Theory]
    [MemberData(nameof(PerObjectCases))]
    public async Task GraphQL_ingestBundle_rejects_only_the_corrupted_object_with_its_path_and_keeps_the_others(string raw, string path, string words)
    {
        var c = Case.With(raw);
        var data = await api.DataAsync(IngestMutation, new { b = c.Bundle });
        AssertReport(data["ingestBundle"]!.AsObject(), c, path, words, graphQL: true);
        await AssertGoodStoredAndBadAbsentAsync(c);
    }

    [Fact]
    public async Task A_valid_surrogate_pair_and_an_escaped_character_are_stored_as_sent()
    {
        var c = Case.With("\"description\":\"smile \\ud83d\\ude00 \\u00e9\"");
        var (status, body) = await api.PostBundleAsync(c.Bundle);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body["totals"]!["created"]!.GetValue<int>());
        using var client = api.CreateClient();
        var stored = JsonNode.Parse(await client.GetStringAsync($"/api/objects/{c.BadId}"))!;
        Assert.Equal("smile \U0001F600 é", stored["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rest_invalid_utf8_is_a_400_naming_the_byte_offset_and_writes_nothing()
    {
        var c = Case.With("\"description\":\"abc\\u0041def\"");
        var bytes = Encoding.UTF8.GetBytes(c.Bundle.Replace("abc\\u0041def", "abcZdef", StringComparison.Ordinal));
        var offset = Array.IndexOf(bytes, (byte)'Z');
        bytes[offset] = 0xFF;
        var (status, body) = await api.PostBundleAsync(bytes);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_UTF8", body["error"]!["code"]!.GetValue<string>());
        Assert.Contains($"byte offset {offset}", body["error"]!["message"]!.GetValue<string>());
        await AssertNothingStoredAsync(c);

        // A truncated multi-byte sequence at the very end, too.
        var truncated = Encoding.UTF8.GetBytes(ApiFactory.Bundle(StixBuilder.Sdo(c.Type, name: "é")));
        var cut = truncated.Length - 1;
        var (status2, body2) = await api.PostBundleAsync([.. truncated, 0xC3]);
        Assert.Equal(HttpStatusCode.BadRequest, status2);
        Assert.Contains($"byte offset {cut + 1}", body2["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"id\":\"bundle--00000000-0000-4000-8000-000000000000\",\"id\":\"bundle--00000000-0000-4000-8000-000000000001\"", "$.id", "DUPLICATE_PROPERTY")]
    [InlineData("\"x_note\":\"\\ud800\"", "$.x_note", "LONE_SURROGATE")]
    public async Task Rest_a_problem_in_the_envelope_is_a_400_naming_it_and_writes_nothing(string raw, string path, string code)
    {
        var c = Case.With("\"x_ok\":1");
        var bundle = c.Bundle.Replace("{\"type\":\"bundle\",", "{\"type\":\"bundle\"," + raw + ",", StringComparison.Ordinal);
        var (status, body) = await api.PostBundleAsync(bundle);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body["error"]!["code"]!.GetValue<string>());
        Assert.Contains(path, body["error"]!["message"]!.GetValue<string>());
        await AssertNothingStoredAsync(c);
    }

    [Fact]
    public async Task GraphQL_a_duplicate_key_in_the_envelope_is_an_error_naming_it_and_writes_nothing()
    {
        var c = Case.With("\"x_ok\":1");
        var bundle = c.Bundle.Replace("{\"type\":\"bundle\",", "{\"type\":\"bundle\",\"objects\":[],", StringComparison.Ordinal);
        var result = await api.GraphQLAsync(IngestMutation, new { b = bundle });
        var error = result["errors"]!.AsArray().Single()!;
        Assert.Equal("DUPLICATE_PROPERTY", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("$.objects", error["message"]!.GetValue<string>());
        await AssertNothingStoredAsync(c);
    }

    [Fact]
    public async Task GraphQL_a_lone_surrogate_in_the_bundle_string_itself_is_an_error_and_writes_nothing()
    {
        // A GraphQL string literal may hold a \u escape of a lone surrogate: the bundle argument then holds one raw
        // (encoding it as UTF-8 would silently make it U+FFFD). The bundle goes inline, as a GraphQL string.
        var c = Case.With("\"description\":\"LONE\"");
        var literal = "\"" + c.Bundle.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("LONE", "\\ud800", StringComparison.Ordinal) + "\"";
        var result = await api.GraphQLAsync($"mutation {{ ingestBundle(bundle: {literal}) {{ totals {{ created }} }} }}");
        var error = result["errors"]!.AsArray().Single()!;
        Assert.Equal("LONE_SURROGATE", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("U+D800", error["message"]!.GetValue<string>());
        await AssertNothingStoredAsync(c);

        // In a JSON variable the same escape is refused by the transport (400) before GraphQL runs.
        var request = new JsonObject { ["query"] = IngestMutation, ["variables"] = new JsonObject { ["b"] = c.Bundle } }.ToJsonString()
            .Replace("LONE", "\\ud800", StringComparison.Ordinal);
        using var client = api.CreateClient();
        using var content = new StringContent(request, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/graphql", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingStoredAsync(c);
    }

    const string IngestMutation = """
        mutation($b: String!) { ingestBundle(bundle: $b) { totals { created rejected }
          objects { index id outcome errors { path message } } } }
        """;

    static void AssertReport(JsonObject report, Case c, string path, string words, bool graphQL = false)
    {
        var created = graphQL ? "CREATED" : "created";
        var rejected = graphQL ? "REJECTED" : "rejected";
        var objects = report["objects"]!.AsArray();
        Assert.Equal(3, objects.Count);
        Assert.Equal([created, rejected, created], objects.Select(o => o!["outcome"]!.GetValue<string>()));
        Assert.Equal(c.BadId, objects[1]!["id"]!.GetValue<string>());
        var error = objects[1]!["errors"]!.AsArray().Single()!;
        Assert.Equal(path, error["path"]!.GetValue<string>());
        Assert.Contains(words, error["message"]!.GetValue<string>());
        Assert.Equal(2, report["totals"]!["created"]!.GetValue<int>());
        Assert.Equal(1, report["totals"]!["rejected"]!.GetValue<int>());
    }

    async Task AssertGoodStoredAndBadAbsentAsync(Case c)
    {
        using var client = api.CreateClient();
        foreach (var id in c.GoodIds)
        {
            using var good = await client.GetAsync($"/api/objects/{id}");
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        }
        using var bad = await client.GetAsync($"/api/objects/{c.BadId}");
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);

        var data = await api.DataAsync($$"""{ search(types: ["{{c.Type}}"]) { totalCount edges { node { id } } } typeCounts { type count } }""");
        Assert.Equal(2, data["search"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(c.GoodIds.Order(), data["search"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).Order());
        Assert.Equal(2, data["typeCounts"]!.AsArray().Single(t => t!["type"]!.GetValue<string>() == c.Type)!["count"]!.GetValue<int>());

        Assert.Equal(c.GoodIds.Order(), (await TaxiiLogAsync(c.Type)).Order());
    }

    async Task AssertNothingStoredAsync(Case c)
    {
        using var client = api.CreateClient();
        foreach (var id in c.GoodIds.Append(c.BadId))
        {
            using var read = await client.GetAsync($"/api/objects/{id}");
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }
        var data = await api.DataAsync("{ typeCounts { type count } }");
        Assert.DoesNotContain(data["typeCounts"]!.AsArray(), t => t!["type"]!.GetValue<string>() == c.Type);
        Assert.Empty(await TaxiiLogAsync(c.Type));
    }

    /// <summary>The ids the TAXII collection serves for a type.</summary>
    async Task<List<string>> TaxiiLogAsync(string type)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/taxii+json;version=2.1"));
        var page = JsonNode.Parse(await client.GetStringAsync(
            $"/taxii2/threatgraph/collections/9f5c1c43-5d3e-4b8e-9a4f-7b1d2c0e6a51/objects/?match[type]={type}&limit=100"))!;
        return (page["objects"]?.AsArray() ?? []).Select(o => o!["id"]!.GetValue<string>()).ToList();
    }
}
