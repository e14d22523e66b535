using System.Text.Json.Nodes;

namespace ThreatGraph.Cli.Tests;

/// <summary>
/// A second organisation floods the service through the tool: the server limits it (429, its per-organisation write
/// quota) and the tool reports that in the server's words, with when to retry; the first organisation still writes.
/// </summary>
public sealed class WriteQuotaTests(WriteQuotaTests.Host host) : IClassFixture<WriteQuotaTests.Host>
{
    /// <summary>40 objects per organisation per minute.</summary>
    public sealed class Host : CliHost
    {
        public Host() => UseSetting("Ingest:OrgObjectsPerMinute", "40");
    }

    static string Bundle(int n, string name) => new JsonObject
    {
        ["type"] = "bundle", ["id"] = StixBuilder.NewId("bundle"),
        ["objects"] = new JsonArray([.. Enumerable.Range(0, n).Select(i => (JsonNode)StixBuilder.Sdo("campaign", name: $"{name} {i}"))]),
    }.ToJsonString();

    [Fact]
    public async Task The_flooding_organisation_is_limited_as_the_server_says_and_the_other_still_writes()
    {
        using var flood = new SampleFiles();
        flood.Write("1.json", Bundle(25, "us flood"));
        flood.Write("2.json", Bundle(25, "us flood"));

        var us = await host.RunAsync("ingest", "--key", DevKeys.UsAnalyst, "--url", CliHost.Url, flood.Folder);

        Assert.True(us.ExitCode == 2, us.ToString());
        Assert.Contains("1/2 files, 25 objects sent, 25 accepted, 0 rejected", us.Output);
        Assert.Contains("2.json: HTTP 429: WRITE_QUOTA_EXCEEDED: ", us.Output);
        Assert.Contains("us-cisa", us.Output);
        Assert.Matches(@"\(retry after \d+ s\)", us.Output);

        using var jp = new SampleFiles();
        var jpRun = await host.RunAsync("ingest", "--key", DevKeys.JpAnalyst, "--url", CliHost.Url, jp.Write("jp.json", Bundle(25, "jp")));
        Assert.True(jpRun.ExitCode == 0, jpRun.ToString());
    }
}
