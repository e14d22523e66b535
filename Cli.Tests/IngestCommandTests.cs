using System.Text.Json.Nodes;

namespace ThreatGraph.Cli.Tests;

/// <summary><c>threatgraph ingest</c> against the real host in process: progress, the summary, and the server's refusals in words.</summary>
[Collection(CliHostCollection.Name)]
public sealed class IngestCommandTests(CliHost host)
{
    static string Bundle(params JsonObject[] objects) =>
        new JsonObject { ["type"] = "bundle", ["id"] = StixBuilder.NewId("bundle"), ["objects"] = new JsonArray([.. objects]) }.ToJsonString();

    static JsonObject[] Campaigns(int n) => [.. Enumerable.Range(0, n).Select(i => StixBuilder.Sdo("campaign", name: $"cli campaign {i}"))];

    [Fact]
    public async Task A_folder_is_sent_file_by_file_with_progress_and_a_summary()
    {
        using var files = new SampleFiles();
        var first = Campaigns(3);
        files.Write("a.json", Bundle(first));
        Directory.CreateDirectory(Path.Combine(files.Folder, "more"));
        files.Write(Path.Combine("more", "b.stix2"), Bundle(Campaigns(2)));
        files.Write("notes.txt", "not a bundle: skipped");

        var run = await host.RunAsync("ingest", "--key", DevKeys.JpAnalyst, "--url", CliHost.Url, files.Folder);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("1/2 files, 3 objects sent, 3 accepted, 0 rejected  (a.json)", run.Output);
        Assert.Contains("2/2 files, 5 objects sent, 5 accepted, 0 rejected  (b.stix2)", run.Output);
        Assert.Contains("2 file(s), 5 object(s)", run.Output);
        Assert.Contains("5 created, 0 updated, 0 unchanged, 0 rejected", run.Output);
        var id = first[0]["id"]!.GetValue<string>();
        var data = await host.DataAsync($$"""{ object(id: "{{id}}") { name } }""", DevKeys.JpAnalyst);
        Assert.Equal("cli campaign 0", data["object"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rejected_object_is_named_with_the_servers_reason_and_the_exit_code_says_so()
    {
        using var files = new SampleFiles();
        var broken = StixBuilder.Sdo("indicator", name: "no pattern"); // an indicator MUST have a pattern
        var path = files.Write("mixed.json", Bundle(StixBuilder.Sdo("campaign", name: "fine"), broken));

        var run = await host.RunAsync("ingest", "-k", DevKeys.JpAnalyst, "-u", CliHost.Url, path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("1/1 files, 2 objects sent, 1 accepted, 1 rejected", run.Output);
        Assert.Contains($"mixed.json: {broken["id"]} rejected: ", run.Output);
        Assert.Contains("pattern", run.Output);
    }

    [Fact]
    public async Task A_file_the_server_cannot_read_shows_its_error_body_and_the_rest_is_still_sent()
    {
        using var files = new SampleFiles();
        files.Write("1-broken.json", "{ \"type\": \"bundle\", ");
        files.Write("2-fine.json", Bundle(Campaigns(1)));

        var run = await host.RunAsync("ingest", "--key", DevKeys.JpAnalyst, "--url", CliHost.Url, files.Folder);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("1-broken.json: HTTP 400: MALFORMED_JSON: ", run.Output);
        Assert.Contains("2/2 files, 1 objects sent, 1 accepted, 0 rejected", run.Output);
    }

    [Fact]
    public async Task A_wrong_key_stops_at_the_first_file_and_says_it_is_the_key()
    {
        using var files = SampleFiles.Tour();
        var run = await host.RunAsync("ingest", "--key", "not-a-key", "--url", CliHost.Url, files.Folder);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("wrong API key", run.Error);
        Assert.Contains("HTTP 401: UNAUTHENTICATED: unknown or revoked API key", run.Error);
        Assert.DoesNotContain("file(s)", run.Output); // no summary: nothing was sent after the refusal
    }

    [Fact]
    public async Task A_key_without_the_ingest_role_is_told_so_in_the_servers_words()
    {
        using var files = SampleFiles.Tour();
        var run = await host.RunAsync("ingest", "--key", DevKeys.JpAuditor, "--url", CliHost.Url, files.Jp);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("this API key may not ingest (HTTP 403: FORBIDDEN: ", run.Error);
        Assert.Contains("'ingest' role", run.Error); // the server's own words, passed on
    }
}
