using System.Text.Json;
using ThreatGraph.Cli.Sample;

namespace ThreatGraph.Cli.Tests;

public sealed class SampleCommandTests
{
    [Fact]
    public async Task Sample_writes_the_two_seeded_reports_and_says_what_to_run_next()
    {
        using var files = new SampleFiles();
        var folder = Path.Combine(files.Folder, "sample-data");

        var run = await CliRun.RunAsync(null, "sample", folder);

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var (name, bundle) in SampleScenario.Build())
        {
            var path = Path.Combine(folder, name);
            Assert.Equal(bundle.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", File.ReadAllText(path));
            Assert.Contains($"wrote {path} (28 objects)", run.Output);
        }
        Assert.Contains("next: dotnet run --project Cli -- ingest --key jp-analyst-dev-key ", run.Output);
    }

    [Fact]
    public void Same_seed_gives_the_same_bytes()
    {
        var a = SampleScenario.Build().ToDictionary(x => x.Key, x => x.Value.ToJsonString());
        var b = SampleScenario.Build().ToDictionary(x => x.Key, x => x.Value.ToJsonString());
        Assert.Equal(a, b);
    }
}
