using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThreatGraph.Bench.Generator;

/// <summary>
/// Writes a generated graph to a folder: <c>bundles/bundle-NNNNN.json</c> (STIX 2.1 bundles of at most
/// <see cref="MaxObjectsPerBundle"/> objects and about <see cref="MaxBundleBytes"/> bytes), <c>nodes.csv</c>
/// (id,type,name), <c>edges.csv</c> (id,kind,source,target), <c>truth.json</c> and, last, <c>manifest.json</c>
/// (its presence means the folder is complete).
/// </summary>
public static class DatasetWriter
{
    /// <summary>Bump when the generator's output changes, so cached folders are regenerated.</summary>
    public const int GeneratorVersion = 1;
    public const int MaxObjectsPerBundle = 5_000;
    public const int MaxBundleBytes = 8 * 1024 * 1024;

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record Manifest(int GeneratorVersion, int Seed, string Size, int Nodes, int Edges, int Objects, int Bundles);

    public static string FolderFor(string root, int seed, GraphSize size) => Path.Combine(root, $"{size.Name}-seed{seed}");

    public static Manifest? ReadManifest(string folder)
    {
        var path = Path.Combine(folder, "manifest.json");
        if (!System.IO.File.Exists(path)) return null;
        var m = JsonSerializer.Deserialize<Manifest>(System.IO.File.ReadAllText(path), Json);
        return m?.GeneratorVersion == GeneratorVersion ? m : null;
    }

    public static Manifest Write(GeneratedGraph graph, string folder)
    {
        var bundles = Path.Combine(folder, "bundles");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(bundles);

        var count = 0;
        var rng = new Random(graph.Seed ^ 0x5eed);
        var batch = new List<string>();
        var bytes = 0;
        void Flush()
        {
            if (batch.Count == 0) return;
            Span<byte> b = stackalloc byte[16];
            rng.NextBytes(b);
            b[6] = (byte)((b[6] & 0x0F) | 0x40);
            b[8] = (byte)((b[8] & 0x3F) | 0x80);
            var sb = new StringBuilder(bytes + 128);
            sb.Append("{\"type\":\"bundle\",\"id\":\"bundle--").Append(new Guid(b, bigEndian: true)).Append("\",\"objects\":[\n");
            for (var i = 0; i < batch.Count; i++)
            {
                sb.Append(batch[i]).Append(i + 1 < batch.Count ? ",\n" : "\n");
            }
            sb.Append("]}\n");
            System.IO.File.WriteAllText(Path.Combine(bundles, $"bundle-{++count:D5}.json"), sb.ToString());
            batch.Clear();
            bytes = 0;
        }
        foreach (var o in graph.Objects)
        {
            var text = o.ToJsonString(Compact);
            if (batch.Count >= MaxObjectsPerBundle || bytes + text.Length > MaxBundleBytes) Flush();
            batch.Add(text);
            bytes += text.Length + 2;
        }
        Flush();

        using (var w = new StreamWriter(Path.Combine(folder, "nodes.csv"), false, new UTF8Encoding(false)))
        {
            w.Write("id,type,name\n");
            foreach (var n in graph.Nodes) w.Write($"{n.Id},{n.Type},{Csv(n.Name)}\n");
        }
        using (var w = new StreamWriter(Path.Combine(folder, "edges.csv"), false, new UTF8Encoding(false)))
        {
            w.Write("id,kind,source,target\n");
            foreach (var e in graph.Edges) w.Write($"{Csv(e.Id)},{e.Kind},{e.Source},{e.Target}\n");
        }
        System.IO.File.WriteAllText(Path.Combine(folder, "truth.json"), JsonSerializer.Serialize(graph.Truth, Json));
        var manifest = new Manifest(GeneratorVersion, graph.Seed, graph.Size.Name, graph.Nodes.Count, graph.Edges.Count, graph.Objects.Count, count);
        System.IO.File.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, Json));
        return manifest;
    }

    public static GraphTruth ReadTruth(string folder) =>
        JsonSerializer.Deserialize<GraphTruth>(System.IO.File.ReadAllText(Path.Combine(folder, "truth.json")), Json)
        ?? throw new InvalidDataException("truth.json is empty");

    /// <summary>CSV field: quoted when it holds a comma, quote or newline.</summary>
    public static string Csv(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Reads one CSV line written by <see cref="Write"/> (quotes as in RFC 4180, no embedded newlines).</summary>
    public static string[] SplitCsv(string line)
    {
        var fields = new List<string>(4);
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return [.. fields];
    }

    public static JsonObject Bundle(IEnumerable<JsonObject> objects, string id) =>
        new() { ["type"] = "bundle", ["id"] = id, ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) };
}
