namespace ThreatGraph.Cli.Tests;

/// <summary>The README tour through the tool, on a host of its own: the two reports meet at the shared observable.</summary>
public sealed class TourTests(CliHost host) : IClassFixture<CliHost>
{
    const string SharedIp = "ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3"; // 203.0.113.5

    [Fact]
    public async Task Shared_ip_is_one_node_that_links_the_jp_and_us_campaigns_within_two_hops()
    {
        using var files = SampleFiles.Tour();
        foreach (var (file, key) in new[] { (files.Jp, DevKeys.JpAnalyst), (files.Us, DevKeys.UsAnalyst) })
        {
            var run = await host.RunAsync("ingest", "--key", key, "--url", CliHost.Url, file);
            Assert.True(run.ExitCode == 0, run.ToString());
            // The shared IP and domain exist after the JP report: the US report of them lands on the same nodes, as
            // us-cisa's own report (created), beside jp-nisc's.
            Assert.Contains("28 created, 0 updated, 0 unchanged, 0 rejected", run.Output);
        }
        var shared = await host.DataAsync($$"""{ object(id: "{{SharedIp}}") { reportedBy } }""", DevKeys.UsAnalyst);
        Assert.Equal(["jp-nisc", "us-cisa"], shared["object"]!["reportedBy"]!.AsArray().Select(x => x!.GetValue<string>()));

        var data = await host.DataAsync($$"""
            { neighborhood(id: "{{SharedIp}}", depth: 2, edgeTypes: ["pattern-names", "indicates"]) {
                partial nodes { distance object { __typename name } } } }
            """, DevKeys.JpAnalyst);
        var campaigns = data["neighborhood"]!["nodes"]!.AsArray()
            .Where(n => n!["object"]!["__typename"]!.GetValue<string>() == "Campaign")
            .Select(n => (n!["object"]!["name"]!.GetValue<string>(), n["distance"]!.GetValue<int>()))
            .Order().ToList();
        Assert.Equal([("Operation Cherry Frost", 2), ("Operation Harbor Lantern", 2)], campaigns);
    }
}
