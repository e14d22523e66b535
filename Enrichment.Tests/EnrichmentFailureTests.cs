using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Enrichment.Runtime;
using ThreatGraph.Contracts.Security;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>A job that throws, hangs or returns invalid STIX for one object fails that object alone and writes nothing of
/// it; the others are enriched; <c>enrichmentJobs</c> says so. The objects arrive on demand, through GraphQL <c>enrich</c>.</summary>
[Collection(EnrichmentCollection.Name)]
public sealed class EnrichmentFailureTests(EnrichmentHost host)
{
    /// <summary>One object each that the troubled job handles fine, throws on, hangs on and answers with garbage.</summary>
    static readonly string[] TroubleNames = ["fine", "throws", "hangs", "garbage"];

    [Fact]
    public async Task One_bad_object_fails_alone_and_writes_nothing_partial()
    {
        var job = new TroubledEnricher();
        using var runtime = host.Runtime(jobs: job);
        await EnrichmentHost.DrainAsync(runtime); // registers the job and reads the feed to its end: only requests are left
        var objects = TroubleNames.Select(n => StixBuilder.Sdo("x-troubled", name: n)).ToArray();
        await host.PostAcceptedAsync(DevKeys.JpAnalyst, objects);
        var ids = objects.Select(Fixtures.Id).ToList();

        var queued = await host.DataAsync("mutation($ids: [ID!]!) { enrich(ids: $ids, job: \"troubled-test\") }", new { ids });
        Assert.Equal(4, queued["enrich"]!.GetValue<int>());
        var passes = runtime.GetRequiredService<EnrichmentPasses>();
        Assert.True(await passes.RunOnceAsync(job, default)); // the requests, and the same objects from the feed
        Assert.True(await passes.RunOnceAsync(job, default) is false);

        var row = await JobAsync();
        Assert.Equal(2, row!["processed"]!.GetValue<int>());
        Assert.Equal(6, row["failed"]!.GetValue<int>());
        Assert.Equal(0, row["lag"]!.GetValue<int>());
        Assert.Equal("jp-nisc/enrichment", row["member"]!.GetValue<string>());
        Assert.NotNull(row["lastRun"]!.GetValue<string>());
        CallerContext.Set(CallerIdentity.System);
        Assert.NotNull(await host.Grains.GetNode(TroubledEnricher.NoteOf(ids[0])).GetViewAsync());
        foreach (var id in ids.Skip(1))
        {
            Assert.Null(await host.Grains.GetNode(TroubledEnricher.NoteOf(id)).GetViewAsync()); // "garbage" had one valid note too
        }
        Assert.Equal(2, job.Calls["fine"]);
        Assert.Equal(4, job.Calls["throws"]); // retried once each time (Enrichment:MaxAttempts = 2)
        Assert.Equal(4, job.Calls["hangs"]);
        Assert.Equal(2, job.Calls["garbage"]); // invalid output is not retried: it would be invalid again

        // Another organisation does not see jp-nisc's job, nor may it ask it for anything.
        var us = await host.DataAsync("{ enrichmentJobs { name } }", apiKey: DevKeys.UsAnalyst);
        Assert.DoesNotContain(us["enrichmentJobs"]!.AsArray(), j => j!["name"]!.GetValue<string>() == "troubled-test");
        await AssertErrorAsync($"mutation {{ enrich(ids: [\"{ids[0]}\"], job: \"troubled-test\") }}", "NOT_FOUND",
            "no enrichment job named 'troubled-test' is registered for your organisation", DevKeys.UsAnalyst);
    }

    [Fact]
    public async Task Enrich_refuses_bad_input_and_queues_nothing()
    {
        var hidden = Fixtures.Red(StixBuilder.Sdo("x-troubled", name: "fine"));
        await host.PostAcceptedAsync(DevKeys.UsAnalyst, hidden);
        using var runtime = host.Runtime(jobs: new TroubledEnricher());
        await EnrichmentHost.DrainAsync(runtime);
        var lag = (await JobAsync())!["lag"]!.GetValue<int>();

        await AssertErrorAsync("mutation { enrich(ids: [\"x-troubled--1\"], job: \"troubled-test\") }", "BAD_ID", "'x-troubled--1' is not a STIX id");
        await AssertErrorAsync($"mutation {{ enrich(ids: [\"{Fixtures.Id(hidden)}\"], job: \"troubled-test\") }}", "NOT_FOUND", $"unknown or not visible to you: {Fixtures.Id(hidden)}");
        await AssertErrorAsync("mutation { enrich(ids: [], job: \"troubled-test\") }", "BAD_ARGUMENT", "ids: give between 1 and 1000 ids, not 0");
        await AssertErrorAsync($"mutation {{ enrich(ids: [\"{Fixtures.Id(hidden)}\"], job: \"no-such-job\") }}", "NOT_FOUND", "no enrichment job named 'no-such-job' is registered for your organisation");
        await AssertErrorAsync($"mutation {{ enrich(ids: [\"{Fixtures.Id(hidden)}\"], job: \"troubled-test\") }}", "FORBIDDEN",
            "your key may not request enrichment (it lacks the 'analyst' or 'enrichment' role)", DevKeys.JpAuditor);
        Assert.Equal(lag, (await JobAsync())!["lag"]!.GetValue<int>());
    }

    async Task<JsonObject?> JobAsync() =>
        (await host.DataAsync("{ enrichmentJobs { name processed failed lag member lastRun lastError } }"))["enrichmentJobs"]!.AsArray()
            .SingleOrDefault(j => j!["name"]!.GetValue<string>() == "troubled-test") as JsonObject;

    async Task AssertErrorAsync(string query, string code, string message, string apiKey = DevKeys.JpAnalyst)
    {
        var result = await host.GraphQLAsync(query, expected: HttpStatusCode.OK, apiKey: apiKey);
        var error = result["errors"]![0]!;
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.Equal(code, error["extensions"]!["code"]!.GetValue<string>());
    }
}
