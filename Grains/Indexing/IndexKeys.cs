using System.Runtime.CompilerServices;
using System.Text.Json;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Indexing;

/// <summary>
/// Exact-match search keys of one stored version (its JSON): every <c>external_references[].external_id</c> (ATT&amp;CK
/// ids such as <c>T0885</c>, CVE ids under source <c>cve</c>, CAPEC ids, …), every entry of <c>aliases</c> and
/// <c>x_mitre_aliases</c>. Keys equal to the name are left out (text search matches names already: a vulnerability
/// named <c>CVE-2021-44228</c> is found by it), duplicates too (case-insensitive); at most <see cref="MaxKeys"/> keys of at
/// most <see cref="MaxKeyLength"/> characters are kept. Keys belong to a report (<see cref="Index.IndexedReport.Keys"/>),
/// so a hidden report's aliases are never searchable by those who may not see it.
/// </summary>
public static class IndexKeys
{
    public const int MaxKeys = 256;
    public const int MaxKeyLength = 256;

    /// <summary>Parsed once per stored JSON string (the node keeps the same instance while it is active).</summary>
    static readonly ConditionalWeakTable<string, IReadOnlyList<string>> Cache = [];

    public static IReadOnlyList<string>? Of(string json)
    {
        var keys = Cache.GetValue(json, Extract);
        return keys.Count > 0 ? keys : null;
    }

    static IReadOnlyList<string> Extract(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return [];
            }
            var name = String(root, "name");
            var keys = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            void Add(string? key)
            {
                key = key?.Trim();
                if (!string.IsNullOrEmpty(key) && key.Length <= MaxKeyLength && keys.Count < MaxKeys
                    && !string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && seen.Add(key))
                {
                    keys.Add(key);
                }
            }
            if (root.TryGetProperty("external_references", out var refs) && refs.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in refs.EnumerateArray())
                {
                    Add(r.ValueKind == JsonValueKind.Object ? String(r, "external_id") : null);
                }
            }
            foreach (var property in (ReadOnlySpan<string>)["aliases", "x_mitre_aliases"])
            {
                if (root.TryGetProperty(property, out var aliases) && aliases.ValueKind == JsonValueKind.Array)
                {
                    foreach (var a in aliases.EnumerateArray())
                    {
                        Add(a.ValueKind == JsonValueKind.String ? a.GetString() : null);
                    }
                }
            }
            return keys;
        }
        catch (JsonException)
        {
            return []; // stored JSON was validated at ingest; never fail an index entry over it
        }
    }

    static string? String(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
