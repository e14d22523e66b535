using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ThreatGraph.Stix.Tests;

/// <summary>
/// The OASIS STIX 2.1 JSON Schemas (shared data, stix2-json-schemas/schemas), all registered by their $id in one
/// registry so that relative $refs (../common/core.json) resolve, keyed by the STIX type they describe.
/// </summary>
public static class OasisSchemas
{
    static readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> LazyByType = new(Load);

    public static IReadOnlyDictionary<string, JsonSchema> ByType => LazyByType.Value;

    /// <summary>True/false: the schema's verdict on <paramref name="obj"/>; null when no schema covers its type.</summary>
    public static bool? IsValid(JsonObject obj)
    {
        var type = obj["type"] is JsonValue v && v.TryGetValue(out string? t) ? t : null;
        if (type is null || !ByType.TryGetValue(type, out var schema))
        {
            return null;
        }
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        return schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
    }

    static IReadOnlyDictionary<string, JsonSchema> Load()
    {
        var files = SharedData.Files("stix2-json-schemas/schemas", "*.json");
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var built = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        var pending = files.ToList();
        // Build in passes: a schema whose $refs are not yet registered is retried after the others.
        while (pending.Count > 0)
        {
            var progress = false;
            var failures = new List<string>();
            foreach (var file in pending.ToArray())
            {
                try
                {
                    var schema = JsonSchema.FromFile(SharedData.PathOf(file), options);
                    built[file] = schema;
                    pending.Remove(file);
                    progress = true;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failures.Add($"{file}: {e.Message}");
                }
            }
            if (!progress)
            {
                throw new InvalidOperationException("OASIS schemas could not be built:\n" + string.Join("\n", failures));
            }
        }
        var byType = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var (file, schema) in built)
        {
            var folder = file.Split('/')[^2];
            var type = Path.GetFileNameWithoutExtension(file);
            if (folder is "sdos" or "sros" or "observables" || type is "marking-definition" or "language-content" or "extension-definition")
            {
                byType[type] = schema;
            }
        }
        return byType;
    }
}
