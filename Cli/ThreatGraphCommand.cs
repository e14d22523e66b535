using System.CommandLine;
using System.CommandLine.Invocation;
using ThreatGraph.Cli.Ingest;
using ThreatGraph.Cli.Sample;
using ThreatGraph.Cli.Schema;

namespace ThreatGraph.Cli;

/// <summary>The <c>threatgraph</c> command and its sub-commands.</summary>
public static class ThreatGraphCommand
{
    /// <param name="handler">Where HTTP requests go (tests: an in-process server); null: the network.</param>
    public static RootCommand Create(HttpMessageHandler? handler = null) =>
        new("threatgraph: the command-line client of a ThreatGraph service (start the service with `dotnet run --project Silo`).")
        {
            IngestCommand.Create(handler),
            SampleCommand.Create(),
            SchemaCommand.Create(),
        };

    /// <summary>Parses a command line; a mistake is reported in one line (and where help is), not with the whole help.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args, HttpMessageHandler? handler = null)
    {
        var result = Create(handler).Parse(args);
        if (result.Action is ParseErrorAction error)
        {
            error.ShowHelp = false;
        }
        return result;
    }
}
