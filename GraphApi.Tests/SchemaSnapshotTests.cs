namespace ThreatGraph.GraphApi.Tests;

public sealed class SchemaSnapshotTests
{
    [Fact]
    public void Committed_schema_graphql_matches_the_code()
    {
        var committed = File.ReadAllText(Path.Combine(RepoRoot(), "schema.graphql"));
        var actual = ThreatGraph.Silo.Cli.SchemaCommand.Print();
        Assert.True(committed == actual,
            "schema.graphql is out of date: run `dotnet run --project Silo -- schema > schema.graphql` and review the diff");
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ThreatGraph.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("ThreatGraph.sln not found above " + AppContext.BaseDirectory);
    }
}
