using System.CommandLine;

namespace ThreatGraph.Cli.Tests;

/// <summary>One run of the threatgraph command as a user types it, with what it wrote to standard output and error.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <param name="server">Where HTTP requests go (a test server's handler); null: the network.</param>
    public static async Task<CliRun> RunAsync(HttpMessageHandler? server, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ThreatGraphCommand.Parse(args, server).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- output ---\n{Output}\n--- error ---\n{Error}";
}
