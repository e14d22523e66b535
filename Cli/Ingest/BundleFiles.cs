namespace ThreatGraph.Cli.Ingest;

/// <summary>The bundle files named on the command line: files as given, folders searched recursively, in name order.</summary>
public static class BundleFiles
{
    static readonly string[] Extensions = [".json", ".stix2", ".stix"];

    public static IReadOnlyList<string> Expand(IEnumerable<FileSystemInfo> paths) =>
        [.. paths.SelectMany<FileSystemInfo, string>(p => p is DirectoryInfo
            ? Directory.EnumerateFiles(p.FullName, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
            : [p.FullName])];
}
