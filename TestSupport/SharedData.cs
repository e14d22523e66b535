namespace ThreatGraph.TestSupport;

/// <summary>
/// The public STIX reference data, read in place at <c>&lt;repo&gt;/../shared/data</c> (never copied into the repo).
/// Missing data fails the test loudly: it is never a reason to skip.
/// </summary>
public static class SharedData
{
    static readonly Lazy<string> RootPath = new(Locate);

    public static string Root => RootPath.Value;

    public static string PathOf(string relative)
    {
        var path = System.IO.Path.Combine(Root, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"shared data file {relative} is missing under {Root}");
        }
        return path;
    }

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate) && File.Exists(System.IO.Path.Combine(candidate, "README.md")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"shared/data not found above {AppContext.BaseDirectory}; it is expected at <repo>/../shared/data");
    }
}
