using System.CommandLine;

namespace ThreatGraph.Cli.Schema;

/// <summary><c>threatgraph schema</c>: prints the GraphQL SDL (what <c>schema.graphql</c> at the repository root holds).</summary>
public static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", "Print the GraphQL schema of the gateway (SDL) on standard output; needs no running service.");
        command.SetAction(result =>
        {
            result.InvocationConfiguration.Output.Write(SchemaPrinter.Print());
            return 0;
        });
        return command;
    }
}
