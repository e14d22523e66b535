namespace ThreatGraph.GraphApi.Tests;

public sealed class SchemaSnapshotTests
{
    [Fact]
    public void Committed_schema_graphql_matches_the_code()
    {
        var committed = File.ReadAllText(Path.Combine(ThreatGraph.TestSupport.RepoRoot.Path, "schema.graphql"));
        var actual = ThreatGraph.Silo.Cli.SchemaCommand.Print();
        Assert.True(committed == actual,
            "schema.graphql is out of date: run `dotnet run --project Silo -- schema > schema.graphql` and review the diff");
    }
}
