using ThreatGraph.Silo.Hosting;

namespace ThreatGraph.Cli.Tests;

/// <summary>The silo only hosts: its former sub-commands point at the tool instead of starting a silo.</summary>
public sealed class MovedCommandsTests
{
    [Theory]
    [InlineData("ingest")]
    [InlineData("sample")]
    [InlineData("schema")]
    public void A_former_silo_command_points_at_the_tool(string command) =>
        Assert.Equal($"'{command}' is no longer a command of the silo: it is in the threatgraph tool. Run: dotnet run --project Cli -- {command} --help",
            MovedCommands.PointerFor(command));

    [Fact]
    public void The_correlation_benchmark_points_at_bench() =>
        Assert.Contains("bench/correlation.sh", MovedCommands.PointerFor("bench-correlation"));

    [Theory]
    [InlineData("--urls")]
    [InlineData("--Orleans:Storage=azure")]
    public void Host_arguments_start_the_host(string argument) => Assert.Null(MovedCommands.PointerFor(argument));
}
