namespace ThreatGraph.TestSupport;

/// <summary>The repository root (the folder holding ThreatGraph.sln), for tests that check committed files.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Locate();

    /// <summary>A path under the repository root.</summary>
    public static string PathOf(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ThreatGraph.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("ThreatGraph.sln not found above " + AppContext.BaseDirectory);
    }
}
