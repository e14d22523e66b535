using ThreatGraph.Bench.Generator;

namespace ThreatGraph.Bench.Runner.Data;

/// <summary>
/// The generated graph read back from nodes.csv/edges.csv into plain arrays: dense node numbers, an undirected
/// adjacency in CSR form with per-entry flags (walked by shortest path; walked by linked campaigns). The in-memory
/// floor runs on it, and it is the oracle every system's answers are checked against.
/// </summary>
public sealed class Dataset
{
    public const byte PathFlag = 1, LinkFlag = 2;

    public required string Folder { get; init; }
    public required string[] Ids { get; init; }
    public required string[] Types { get; init; }
    public required string[] Names { get; init; }
    public required Dictionary<string, int> Index { get; init; }
    public required int[] Offsets { get; init; }
    public required int[] Neighbours { get; init; }
    public required byte[] Flags { get; init; }
    public required int EdgeCount { get; init; }
    public required GraphTruth Truth { get; init; }

    public int NodeCount => Ids.Length;

    public ReadOnlySpan<int> NeighboursOf(int node) => Neighbours.AsSpan(Offsets[node], Offsets[node + 1] - Offsets[node]);

    public ReadOnlySpan<byte> FlagsOf(int node) => Flags.AsSpan(Offsets[node], Offsets[node + 1] - Offsets[node]);

    public static Dataset Load(string folder)
    {
        var ids = new List<string>();
        var types = new List<string>();
        var names = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(folder, "nodes.csv")).Skip(1))
        {
            var f = DatasetWriter.SplitCsv(line);
            ids.Add(f[0]);
            types.Add(string.Intern(f[1]));
            names.Add(f[2]);
        }
        var index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++) index[ids[i]] = i;

        var src = new List<int>();
        var dst = new List<int>();
        var flags = new List<byte>();
        foreach (var line in File.ReadLines(Path.Combine(folder, "edges.csv")).Skip(1))
        {
            var f = DatasetWriter.SplitCsv(line);
            var s = index[f[2]];
            var t = index[f[3]];
            byte flag = 0;
            if (EdgeKinds.Path.Contains(f[1])) flag |= PathFlag;
            if (EdgeKinds.IsLink(f[1], types[s], types[t])) flag |= LinkFlag;
            src.Add(s);
            dst.Add(t);
            flags.Add(flag);
        }

        var degree = new int[ids.Count + 1];
        for (var e = 0; e < src.Count; e++) { degree[src[e]]++; degree[dst[e]]++; }
        var offsets = new int[ids.Count + 1];
        for (var i = 0; i < ids.Count; i++) offsets[i + 1] = offsets[i] + degree[i];
        var fill = (int[])offsets.Clone();
        var neighbours = new int[offsets[^1]];
        var adjFlags = new byte[offsets[^1]];
        for (var e = 0; e < src.Count; e++)
        {
            neighbours[fill[src[e]]] = dst[e]; adjFlags[fill[src[e]]++] = flags[e];
            neighbours[fill[dst[e]]] = src[e]; adjFlags[fill[dst[e]]++] = flags[e];
        }
        return new Dataset
        {
            Folder = folder, Ids = [.. ids], Types = [.. types], Names = [.. names], Index = index,
            Offsets = offsets, Neighbours = neighbours, Flags = adjFlags, EdgeCount = src.Count,
            Truth = DatasetWriter.ReadTruth(folder),
        };
    }

    public int Degree(int node) => Offsets[node + 1] - Offsets[node];
}
