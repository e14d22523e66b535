using GraphQL;
using GraphQL.Types;
using ThreatGraph.GraphApi.Hosting;

namespace ThreatGraph.Silo.Cli;

/// <summary>Prints the GraphQL SDL; <c>schema.graphql</c> at the repository root is this output, kept in sync by a test.</summary>
public static class SchemaCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Write(Print());
        return Task.FromResult(0);
    }

    public static string Print()
    {
        var services = new ServiceCollection();
        services.AddThreatGraphApi(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        var schema = provider.GetRequiredService<ISchema>();
        return schema.Print() + "\n";
    }
}
