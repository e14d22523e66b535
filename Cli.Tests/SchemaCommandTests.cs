namespace ThreatGraph.Cli.Tests;

public sealed class SchemaCommandTests
{
    [Fact]
    public async Task Schema_prints_the_committed_schema_graphql()
    {
        var run = await CliRun.RunAsync(null, "schema");
        Assert.Equal(0, run.ExitCode);
        var committed = File.ReadAllText(RepoRoot.PathOf("schema.graphql"));
        Assert.True(committed == run.Output,
            "schema.graphql is out of date: run `dotnet run --project Cli -- schema > schema.graphql` and review the diff");
    }
}
