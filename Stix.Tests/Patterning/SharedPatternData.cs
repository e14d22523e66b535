using System.Text.Json;

namespace ThreatGraph.Stix.Tests.Patterning;

/// <summary>Reads patterns from the shared reference data in place (<c>&lt;repo&gt;/../shared/data</c>).</summary>
internal static class SharedPatternData
{
    /// <summary>Folders that hold STIX content with indicator patterns (mitre-attack has none).</summary>
    private static readonly string[] PatternFolders =
        ["oasis-examples", "ioc-bundles", Path.Combine("misp", "misp-stix"), "taxii", "incidents"];

    public static string DataDirectory { get; } = FindDataDirectory();

    public static IReadOnlyList<string> SpecExamples() =>
        File.ReadAllLines(Path.Combine(DataDirectory, "stix-patterns", "spec_examples_v21.txt"))
            .Where(l => l.Length > 0)
            .ToList();

    /// <summary>Every <c>pattern</c> whose sibling <c>pattern_type</c> is "stix", anywhere in the JSON, as (file, pattern).</summary>
    public static IReadOnlyList<(string File, string Pattern)> IndicatorPatterns()
    {
        var found = new List<(string, string)>();
        foreach (var folder in PatternFolders)
        {
            var root = Path.Combine(DataDirectory, folder);
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException($"shared data folder {root} is missing");
            }
            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".stix2", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                Walk(doc.RootElement, Path.GetRelativePath(DataDirectory, file), found);
            }
        }
        return found;
    }

    private static void Walk(JsonElement element, string file, List<(string, string)> found)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String
                && element.TryGetProperty("pattern_type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() == "stix")
            {
                found.Add((file, pattern.GetString()!));
            }
            foreach (var property in element.EnumerateObject())
            {
                Walk(property.Value, file, found);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, file, found);
            }
        }
    }

    private static string FindDataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (File.Exists(Path.Combine(candidate, "stix-patterns", "spec_examples_v21.txt")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"shared test data (shared/data/stix-patterns/spec_examples_v21.txt) not found above {AppContext.BaseDirectory}; " +
            "it is expected at <repo>/../shared/data");
    }
}
