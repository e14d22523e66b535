using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ThreatGraph.Bench.Generator;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>Kùzu 0.11.3 (embedded graph database) in a small Node process (bench/kuzu/server.js) spoken to as
/// JSON over loopback HTTP. Cypher: point match, <c>-[:E*1..2]-</c>, <c>-[* SHORTEST 1..6]-</c> with a
/// relationship predicate, and a SHORTEST closure for linked campaigns.</summary>
public sealed class KuzuSystem(Uri baseAddress) : IGraphSystem, IDisposable
{
    readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(30) };

    public string Name => "Kùzu 0.11.3";
    public bool IsThreatGraph => false;
    public string? Unsupported(Capability capability) => capability == Capability.Subscription ? "n/a (no push subscriptions in Kùzu)" : null;

    /// <summary>Writes the rel-table CSV Kùzu's COPY wants (from, to, properties) and loads both tables.</summary>
    public async Task<(double Seconds, long Rows)> LoadAsync(Data.Dataset data)
    {
        var nodes = Path.GetFullPath(Path.Combine(data.Folder, "nodes.csv"));
        var edges = Path.GetFullPath(Path.Combine(data.Folder, "kuzu-edges.csv"));
        if (!File.Exists(edges))
        {
            var tmp = edges + ".tmp";
            using (var w = new StreamWriter(tmp))
            {
                w.Write("from,to,eid,kind,p,l\n");
                foreach (var line in File.ReadLines(Path.Combine(data.Folder, "edges.csv")).Skip(1))
                {
                    var f = DatasetWriter.SplitCsv(line);
                    var s = data.Types[data.Index[f[2]]];
                    var t = data.Types[data.Index[f[3]]];
                    w.Write($"{f[2]},{f[3]},{DatasetWriter.Csv(f[0])},{f[1]},{(EdgeKinds.Path.Contains(f[1]) ? "true" : "false")},{(EdgeKinds.IsLink(f[1], s, t) ? "true" : "false")}\n");
                }
            }
            File.Move(tmp, edges, overwrite: true);
        }
        var clock = Stopwatch.StartNew();
        var result = await Post("load", new { nodes, edges }, CancellationToken.None);
        return (clock.Elapsed.TotalSeconds, result.GetProperty("rows").GetInt64());
    }

    async Task<JsonElement> Post(string path, object body, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"kuzu {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string?> LookupAsync(string id, CancellationToken ct)
    {
        var r = await Post("q", new { op = "lookup", id }, ct);
        return r.GetProperty("type").ValueKind == JsonValueKind.Null ? null : r.GetProperty("type").GetString();
    }

    public async Task<int> TwoHopAsync(string id, CancellationToken ct) =>
        (await Post("q", new { op = "twohop", id, limit = Limits.NeighbourhoodNodes }, ct)).GetProperty("count").GetInt32();

    public async Task<int?> ShortestPathAsync(string a, string b, CancellationToken ct)
    {
        var r = await Post("q", new { op = "path", a, b, max = Limits.MaxPathHops }, ct);
        return r.GetProperty("hops").ValueKind == JsonValueKind.Null ? null : r.GetProperty("hops").GetInt32();
    }

    public async Task<IReadOnlyCollection<string>> LinkedCampaignsAsync(string campaignId, CancellationToken ct)
    {
        var r = await Post("q", new { op = "linked", id = campaignId }, ct);
        return [.. r.GetProperty("ids").EnumerateArray().Select(x => x.GetString()!)];
    }

    public Task<IAsyncDisposable> SubscribeCampaignsAsync(IReadOnlyList<string> campaignIds, int perCampaign, CampaignWatch watch, CancellationToken ct) =>
        throw new NotSupportedException(Unsupported(Capability.Subscription));

    public async Task IngestUnitAsync(DeltaUnit unit, CancellationToken ct)
    {
        var types = unit.Nodes.ToDictionary(n => n.Id, n => n.Type);
        await Post("q", new
        {
            op = "ingest",
            nodes = unit.Nodes.Select(n => new { id = n.Id, type = n.Type, name = n.Name }),
            edges = unit.Edges.Select(e => new
            {
                from = e.Source, to = e.Target, eid = e.Id, kind = e.Kind, p = EdgeKinds.Path.Contains(e.Kind),
                l = EdgeKinds.IsLink(e.Kind, types.GetValueOrDefault(e.Source, "malware"), types.GetValueOrDefault(e.Target, "malware")),
            }),
        }, ct);
    }

    public void Dispose() => _http.Dispose();
}
