using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.GraphApi.Hosting;

namespace ThreatGraph.Cli.Schema;

/// <summary>The gateway's GraphQL SDL, built from its schema types; <c>schema.graphql</c> is this output, kept in sync by a test.</summary>
public static class SchemaPrinter
{
    public static string Print()
    {
        var services = new ServiceCollection();
        services.AddThreatGraphApi(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        var schema = provider.GetRequiredService<ISchema>();
        return schema.Print() + "\n";
    }
}
