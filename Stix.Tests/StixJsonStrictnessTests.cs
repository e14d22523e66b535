using System.Text;

namespace ThreatGraph.Stix.Tests;

/// <summary>The I-JSON checks every ingest path runs (StixJsonStrictness) and how BundleReader applies them.</summary>
public sealed class StixJsonStrictnessTests
{
    [Fact]
    public void Invalid_utf8_is_found_at_its_byte_offset()
    {
        Assert.Equal(-1, StixJsonStrictness.IndexOfInvalidUtf8("{\"a\":\"é😀\"}"u8));
        Assert.Equal(6, StixJsonStrictness.IndexOfInvalidUtf8([.. "{\"a\":\""u8, 0xFF, .. "\"}"u8]));
        Assert.Equal(6, StixJsonStrictness.IndexOfInvalidUtf8([.. "{\"a\":\""u8, 0xC0, 0x80, .. "\"}"u8])); // overlong
        Assert.Equal(6, StixJsonStrictness.IndexOfInvalidUtf8([.. "{\"a\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8])); // a surrogate
        Assert.Equal(3, StixJsonStrictness.IndexOfInvalidUtf8([.. "abc"u8, 0xE2, 0x82])); // truncated at the end
        var longPrefix = Enumerable.Repeat((byte)'a', 10_000).Concat(new byte[] { 0x80 }).ToArray();
        Assert.Equal(10_000, StixJsonStrictness.IndexOfInvalidUtf8(longPrefix));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", "$.a", "duplicate property 'a'")]
    [InlineData("{\"a\":1,\"\\u0061\":2}", "$.a", "duplicate property 'a'")]
    [InlineData("{\"x\":[1,{\"b\":1,\"b\":2}]}", "$.x[1].b", "duplicate property 'b'")]
    [InlineData("{\"a b\":1,\"a b\":2}", "$['a b']", "duplicate property 'a b'")]
    [InlineData("{\"s\":\"\\ud800\"}", "$.s", "'\\ud800' without its pair")]
    [InlineData("{\"s\":\"\\uDC00x\"}", "$.s", "'\\udc00' without its pair")]
    [InlineData("{\"s\":\"\\ud800\\u0041\"}", "$.s", "'\\ud800' without its pair")]
    [InlineData("{\"s\":[\"ok\",1,null,\"\\ud800\"]}", "$.s[3]", "lone surrogate")]
    [InlineData("{\"o\":{\"\\ud800\":1}}", "$.o", "property name")]
    public void A_duplicate_or_a_lone_surrogate_is_named_with_its_path(string json, string path, string words)
    {
        var problem = StixJsonStrictness.Check(json, "$", 1 << 20, out var utf8);
        Assert.NotNull(problem);
        Assert.Null(utf8);
        Assert.Equal(path, problem.Path);
        Assert.Contains(words, problem.Message);
    }

    [Theory]
    [InlineData("{\"s\":\"\\ud83d\\ude00\"}")]            // a pair
    [InlineData("{\"s\":\"\\\\ud800\"}")]                  // an escaped backslash, then the letters ud800
    [InlineData("{\"a\":{\"k\":1},\"b\":{\"k\":1}}")]      // the same name in two objects
    [InlineData("{\"a\":[{\"k\":1},{\"k\":2}]}")]
    [InlineData("[1,\"x\",{}]")]
    public void Well_formed_unicode_without_duplicates_passes(string json)
    {
        Assert.Null(StixJsonStrictness.Check(json, "$", 1 << 20, out var utf8));
        Assert.Equal(Encoding.UTF8.GetBytes(json), utf8);
    }

    [Fact]
    public void A_raw_lone_surrogate_and_the_size_limit_are_checked_on_text()
    {
        var lone = StixJsonStrictness.Check("{\"s\":\"a\ud800\"}", "$.objects[2]", 1 << 20, out _);
        Assert.Equal(StixJsonProblemKind.LoneSurrogate, lone!.Kind);
        Assert.Equal("$.objects[2]", lone.Path);
        Assert.Contains("U+D800", lone.Message);

        var big = StixJsonStrictness.Check("{\"s\":\"" + new string('x', 2000) + "\"}", "$", 1024, out _);
        Assert.Equal(StixJsonProblemKind.TooLarge, big!.Kind);
        Assert.Contains("2008 bytes of JSON; the limit is 1024 bytes (Ingest:MaxObjectBytes)", big.Message);

        Assert.Equal(StixJsonProblemKind.Syntax, StixJsonStrictness.Check("{\"a\":", "$", 1024, out _)!.Kind);
    }

    [Fact]
    public void The_reader_rejects_one_element_alone_and_keeps_the_others_text_exactly()
    {
        var body = """
            {"type": "bundle", "id": "bundle--0a5e5d7c-1b0c-4b6b-8b0e-2a2c8e4f3b1d", "objects": [
              { "type": "campaign",  "id": "campaign--1" },
              {"type":"campaign","id":"campaign--2","name":"a","name":"b","modified":"2024-01-01T00:00:00Z"},
              {"type":"campaign","id":"campaign--3","description":"x\ud800"},
              {"type":"campaign","id":"campaign--4","description":"0123456789012345678901234567890123456789"}
            ]}
            """;
        var bundle = BundleReader.Read(Encoding.UTF8.GetBytes(body), maxObjectBytes: 80);
        Assert.Equal(4, bundle.Entries.Count);
        Assert.Equal("{ \"type\": \"campaign\",  \"id\": \"campaign--1\" }", bundle.Entries[0].Text);
        Assert.Null(bundle.Entries[0].Problem);
        Assert.Equal("campaign--1", bundle.Entries[0].Json!["id"]!.GetValue<string>());

        Assert.Null(bundle.Entries[1].Text);
        Assert.Equal(StixJsonProblemKind.DuplicateProperty, bundle.Entries[1].Problem!.Kind);
        Assert.Equal("$.objects[1].name", bundle.Entries[1].Problem!.Path);
        Assert.Equal("campaign--2", bundle.Entries[1].Id);
        Assert.Equal("2024-01-01T00:00:00Z", bundle.Entries[1].Version);

        Assert.Equal(StixJsonProblemKind.LoneSurrogate, bundle.Entries[2].Problem!.Kind);
        Assert.Equal("$.objects[2].description", bundle.Entries[2].Problem!.Path);
        Assert.Equal("campaign--3", bundle.Entries[2].Id);

        Assert.Equal(StixJsonProblemKind.TooLarge, bundle.Entries[3].Problem!.Kind);
        Assert.Equal("$.objects[3]", bundle.Entries[3].Problem!.Path);
        Assert.Null(bundle.Entries[3].Text);
    }

    [Theory]
    [InlineData("{\"type\":\"bundle\",\"type\":\"bundle\",\"objects\":[]}", StixJsonProblemKind.DuplicateProperty, "$.type")]
    [InlineData("{\"type\":\"bundle\",\"id\":\"bundle--\\udc00\",\"objects\":[]}", StixJsonProblemKind.LoneSurrogate, "$.id")]
    [InlineData("{\"type\":\"bundle\",\"x\":{\"k\":1,\"k\":2},\"objects\":[]}", StixJsonProblemKind.DuplicateProperty, "$.x.k")]
    public void A_problem_in_the_envelope_refuses_the_whole_body(string body, StixJsonProblemKind kind, string path)
    {
        var e = Assert.Throws<StixJsonException>(() => BundleReader.Read(body));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(path, e.Message);
        Assert.Equal(kind, Assert.Throws<StixJsonException>(() => BundleReader.ReadTaxiiEnvelope(Encoding.UTF8.GetBytes(body))).Kind);
    }

    [Fact]
    public void A_bare_object_with_a_duplicate_is_an_entry_with_a_problem_and_syntax_errors_keep_their_position()
    {
        var bare = BundleReader.Read("{\"type\":\"campaign\",\"id\":\"campaign--9\",\"name\":\"a\",\"name\":\"b\"}");
        Assert.Equal("$.name", bare.Entries.Single().Problem!.Path);
        Assert.Equal("campaign--9", bare.Entries.Single().Id);

        var trailing = Assert.Throws<StixJsonException>(() => BundleReader.Read("{\"type\":\"bundle\"} x"));
        Assert.Equal(StixJsonProblemKind.Syntax, trailing.Kind);
        Assert.Equal(1, trailing.Line);
        Assert.Equal(19, trailing.Column);

        var notUtf8 = Assert.Throws<StixJsonException>(() => BundleReader.Read([.. "{\"type\":\""u8, 0xFE, .. "\"}"u8]));
        Assert.Equal(StixJsonProblemKind.InvalidUtf8, notUtf8.Kind);
        Assert.Contains("byte offset 9 (0xFE)", notUtf8.Message);

        Assert.Equal(StixJsonProblemKind.Structure, Assert.Throws<StixJsonException>(() => BundleReader.ReadTaxiiEnvelope("[]"u8)).Kind);
        Assert.Equal(StixJsonProblemKind.Structure, Assert.Throws<StixJsonException>(() => BundleReader.ReadTaxiiEnvelope("{\"objects\":{}}"u8)).Kind);
    }
}
