using System.Text.Json;

namespace ThreatGraph.Stix.Warninglists;

/// <summary>Reads the lists of a MISP warninglists checkout: every <c>*/list.json</c> under a folder, keyed by its
/// folder name, in ordinal order of their paths.</summary>
public static class WarninglistFolder
{
    /// <summary>The lists that parsed, and one message per file that is not valid JSON (skipped, not fatal: one broken
    /// list must not switch the others off).</summary>
    public static (IReadOnlyList<Warninglist> Lists, IReadOnlyList<string> Skipped) Read(string folder)
    {
        var lists = new List<Warninglist>();
        var skipped = new List<string>();
        foreach (var file in Directory.GetFiles(folder, "list.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                if (Warninglist.Parse(Path.GetFileName(Path.GetDirectoryName(file)!), File.ReadAllText(file)) is { } list)
                {
                    lists.Add(list);
                }
            }
            catch (JsonException e)
            {
                skipped.Add($"warninglist {file} is not valid JSON and was skipped: {e.Message}");
            }
        }
        return (lists, skipped);
    }
}
