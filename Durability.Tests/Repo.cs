namespace ThreatGraph.Durability.Tests;

/// <summary>Paths in the repository the tests run from (the folder holding ThreatGraph.sln).</summary>
public static class Repo
{
    static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ThreatGraph.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"ThreatGraph.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The Silo executable built beside these tests (same configuration: Debug or Release).</summary>
    public static string SiloDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/
            var dll = PathOf("Silo", "bin", configuration, "net10.0", "ThreatGraph.Silo.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the Silo first: {dll} is missing");
        }
    }
}
