namespace ThreatGraph.Cli.Tests;

/// <summary>What the tool says about its command line, before any request: help, and mistakes in one clear line.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_the_three_commands()
    {
        var run = await CliRun.RunAsync(null, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ingest", run.Output);
        Assert.Contains("Write the seeded two-government sample scenario", run.Output);
        Assert.Contains("Print the GraphQL schema", run.Output);
    }

    [Fact]
    public async Task Ingest_help_explains_each_option_and_the_exit_codes()
    {
        var run = await CliRun.RunAsync(null, "ingest", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("-k, --key <API_KEY>", run.Output);
        Assert.Contains("sent as X-Api-Key", run.Output);
        Assert.Contains("THREATGRAPH_API_KEY", run.Output);
        Assert.Contains("-u, --url <URL>", run.Output);
        Assert.Contains("[default: http://127.0.0.1:5080/]", run.Output);
        Assert.Contains("<PATH>", run.Output);
        Assert.Contains("folders searched recursively", run.Output);
        Assert.Contains("0 every object accepted", run.Output);
    }

    [Fact]
    public async Task A_bad_url_is_refused_before_anything_is_sent()
    {
        using var files = SampleFiles.Tour();
        var run = await CliRun.RunAsync(null, "ingest", "--key", DevKeys.JpAnalyst, "--url", "ftp://example.org", files.Jp);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--url 'ftp://example.org' is not an http:// or https:// URL", run.Error);
        Assert.DoesNotContain("Usage:", run.Output); // one line, not the whole help
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        var run = await CliRun.RunAsync(null, "ingest", "--key", DevKeys.JpAnalyst, "no-such-report.json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'no-such-report.json'", run.Error);
        Assert.Contains("does not exist", run.Error);
    }

    [Fact]
    public async Task Without_a_key_it_says_how_to_give_one()
    {
        Assert.Null(Environment.GetEnvironmentVariable("THREATGRAPH_API_KEY")); // the test means "no key anywhere"
        using var files = SampleFiles.Tour();
        var run = await CliRun.RunAsync(null, "ingest", files.Jp);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no API key: pass --key API_KEY or set THREATGRAPH_API_KEY", run.Error);
    }

    [Fact]
    public async Task A_server_that_is_not_there_stops_the_ingest_with_a_pointer()
    {
        using var files = SampleFiles.Tour();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var run = await CliRun.RunAsync(null, "ingest", "--key", DevKeys.JpAnalyst, "--url", url, files.Folder);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"cannot reach ThreatGraph at {url}/", run.Error);
        Assert.Contains("dotnet run --project Silo", run.Error);
    }

    [Fact]
    public async Task A_mistyped_command_suggests_the_right_one()
    {
        var run = await CliRun.RunAsync(null, "ingset");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ingest", run.Output + run.Error);
    }
}
