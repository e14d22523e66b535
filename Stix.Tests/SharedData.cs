using System.Text.Json.Nodes;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Stix.Tests;

/// <summary>
/// The shared public STIX data (located by <see cref="TestSupport.SharedData"/>), read and validated the way the STIX
/// library's tests need it. Missing data fails the test run loudly; nothing is skipped.
/// </summary>
public static class SharedData
{
    public static string Root => TestSupport.SharedData.Root;

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static byte[] Bytes(string relative)
    {
        var path = PathOf(relative);
        return File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"shared data file missing: {path}", path);
    }

    public static BundleReadResult ReadBundle(string relative) => BundleReader.Read(Bytes(relative));

    public static JsonNode ReadJson(string relative) =>
        JsonNode.Parse(Bytes(relative), documentOptions: StixJson.DocumentOptions)
        ?? throw new InvalidDataException($"{relative} is JSON null");

    /// <summary>Files under a folder of the shared data, as paths relative to the data root, sorted.</summary>
    public static IReadOnlyList<string> Files(string folder, string pattern) =>
        Directory.GetFiles(PathOf(folder), pattern, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Every object of the bundle validated, with its issues (entries that are not objects are an Error).</summary>
    public static IReadOnlyList<StixIssue> ValidateAll(BundleReadResult bundle)
    {
        var issues = new List<StixIssue>();
        foreach (var entry in bundle.Entries)
        {
            if (entry.Json is null)
            {
                issues.Add(new(null, entry.Path, "not a JSON object", IssueSeverity.Error));
                continue;
            }
            issues.AddRange(StixValidator.Validate(entry.Json, entry.Path));
        }
        return issues;
    }

    public static IReadOnlyList<StixIssue> Errors(IEnumerable<StixIssue> issues) =>
        issues.Where(i => i.Severity == IssueSeverity.Error).ToArray();
}
