using System.Text.Json.Nodes;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Tests;

/// <summary>The ingest grain itself refuses JSON that the gateway would refuse (enrichment jobs call it directly with
/// IngestEntry text): a duplicate property, a lone surrogate (escaped, or a lone UTF-16 char in the text), an object
/// over Ingest:MaxObjectBytes, too many entries. Only that object is rejected; the others are written.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IngestStrictnessTests(ClusterFixture fixture)
{
    IIngestGrain Ingest => fixture.Grains.GetGrain<IIngestGrain>(0);

    public static TheoryData<string, string, string> Cases => new()
    {
        { "\"name\":\"twice\"", "$.objects[1].name", "duplicate property 'name'" },
        { "\"x_deep\":[{\"k\":1,\"k\":2}]", "$.objects[1].x_deep[0].k", "duplicate property 'k'" },
        { "\"description\":\"a\\ud800\"", "$.objects[1].description", "lone surrogate" },
        { "\"description\":\"a\\udbff\\u0041\"", "$.objects[1].description", "lone surrogate" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_corrupted_entry_is_rejected_with_its_path_and_the_others_are_written(string raw, string path, string words)
    {
        var good1 = Stix.Sdo("campaign", name: "strict good 1");
        var bad = Stix.Sdo("campaign", name: "strict bad");
        bad["x_marker"] = "M";
        var good2 = Stix.Sdo("campaign", name: "strict good 2");
        var badText = bad.ToJsonString().Replace("\"x_marker\":\"M\"", raw, StringComparison.Ordinal);
        var request = new IngestRequest(null,
        [
            new IngestEntry(0, "$.objects[0]", good1.ToJsonString()),
            new IngestEntry(1, "$.objects[1]", badText),
            new IngestEntry(2, "$.objects[2]", good2.ToJsonString()),
        ]);

        var report = await Ingest.IngestAsync(request);

        Assert.Equal([UpsertOutcome.Created, UpsertOutcome.Rejected, UpsertOutcome.Created], report.Objects.Select(o => o.Outcome));
        var error = report.Objects[1].Errors.Single();
        Assert.Equal(path, error.Path);
        Assert.Contains(words, error.Message);
        Assert.Null(await fixture.Grains.GetNode(bad["id"]!.GetValue<string>()).GetViewAsync());
        Assert.NotNull(await fixture.Grains.GetNode(good1["id"]!.GetValue<string>()).GetViewAsync());
        Assert.NotNull(await fixture.Grains.GetNode(good2["id"]!.GetValue<string>()).GetViewAsync());
    }

    /// <summary>A raw lone surrogate in the entry's text reaches the grain only from a caller in the same silo (the
    /// Orleans wire codec turns it into U+FFFD on the way), so it is checked on the reader the grain uses.</summary>
    [Theory]
    [InlineData(0xD800)]
    [InlineData(0xDC00)]
    public void A_raw_lone_surrogate_in_the_text_is_rejected_by_the_grain_s_reader(int unit)
    {
        var lone = (char)unit;
        var text = Stix.Sdo("campaign", name: "raw").ToJsonString().Replace("\"raw\"", $"\"ra{lone}w\"", StringComparison.Ordinal);
        var json = IngestEntryReader.Read(new IngestEntry(4, "$.objects[4]", text), new IngestOptions().MaxObjectBytes, out var rejection);
        Assert.Null(json);
        Assert.Equal("$.objects[4]", rejection!.Path);
        Assert.Contains($"lone surrogate (U+{(int)lone:X4}", rejection.Message);
    }

    [Fact]
    public async Task An_entry_over_the_object_size_limit_is_rejected_naming_the_limit()
    {
        var big = Stix.Sdo("campaign", name: "too big for the grain");
        big["description"] = new string('q', new IngestOptions().MaxObjectBytes);
        var small = Stix.Sdo("campaign", name: "fits");
        var report = await Ingest.IngestAsync(Stix.Request(big, small));
        Assert.Equal(UpsertOutcome.Rejected, report.Objects[0].Outcome);
        Assert.Equal("$.objects[0]", report.Objects[0].Errors.Single().Path);
        Assert.Contains("(Ingest:MaxObjectBytes)", report.Objects[0].Errors.Single().Message);
        Assert.Equal(UpsertOutcome.Created, report.Objects[1].Outcome);
        Assert.Null(await fixture.Grains.GetNode(big["id"]!.GetValue<string>()).GetViewAsync());
    }

    [Fact]
    public async Task A_call_with_more_entries_than_the_limit_is_rejected_whole()
    {
        var objects = Enumerable.Range(0, new IngestOptions().MaxObjectsPerCall + 1)
            .Select(i => new JsonObject { ["type"] = "campaign" }).ToArray();
        var report = await Ingest.IngestAsync(Stix.Request(objects));
        Assert.Equal(objects.Length, report.Totals.Rejected);
        Assert.Contains("(Ingest:MaxObjectsPerCall)", report.Objects[0].Errors.Single().Message);
    }
}
