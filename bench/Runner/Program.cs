using ThreatGraph.Bench.Generator;
using ThreatGraph.Bench.Runner;

return args.FirstOrDefault() switch
{
    "generate" => GenerateCommand.Run(Options.Parse(args[1..])),
    "run" => await RunCommand.RunAsync(Options.Parse(args[1..])),
    "storage-ceiling" => await StorageCeilingCommand.RunAsync(Options.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Runner generate --size small|large|tiny|N --seed 42 --out bench/out/data
               Runner run --data DIR --size small --seed 42 --readme bench/README.md [--results FILE]
                          [--tg-url http://127.0.0.1:5180] [--tg-gateway-port 30100] [--tg-pid PID]
                          [--pg "Host=127.0.0.1;Port=5433;Username=bench;Database=bench"] [--pg-pid PID]
                          [--kuzu http://127.0.0.1:5190] [--kuzu-pid PID] [--step-seconds 3] [--only lookup,twohop]
                          [--caller member|system|both] (who the Orleans client calls as; system = no access checks)
                          [--tg-levels gateway,client] (ThreatGraph levels measured; the gateway loads the data either way)
                          [--tg-ingest-urls URL,URL] (bulk ingest round robin over a cluster's gateways) [--tg-storage NOTE]
                          [--cpu-pids name=PID,name=PID] (CPU seconds each used during the bulk ingest)
                          [--tg-loaded true] (the silo already holds this dataset: no bulk ingest, no load row)
                          [--tg-settle-seconds N] (longest wait after the load for the silo's idle trims; adds an at-rest memory row)
                          [--quiet-seconds 300] (longest wait, after each system's ladder, for the servers to go quiet)
               Runner storage-ceiling --conn CONNECTION [--seconds 5] [--bytes 3700] [--concurrency 16,64,256] [--out FILE]
        """);
    return 2;
}

namespace ThreatGraph.Bench.Runner
{
    public sealed class Options
    {
        readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected --option, got '{args[i]}'");
                o._values[args[i][2..]] = args[i + 1];
            }
            return o;
        }

        public string? Get(string key) => _values.GetValueOrDefault(key);
        public string Get(string key, string fallback) => _values.GetValueOrDefault(key) ?? fallback;
        public int GetInt(string key, int fallback) => _values.TryGetValue(key, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        public double GetDouble(string key, double fallback) => _values.TryGetValue(key, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    public static class GenerateCommand
    {
        public static int Run(Options o)
        {
            var size = GraphSize.Parse(o.Get("size", "small"));
            var seed = o.GetInt("seed", 42);
            var folder = DatasetWriter.FolderFor(o.Get("out", "bench/out/data"), seed, size);
            if (DatasetWriter.ReadManifest(folder) is { } cached)
            {
                Console.WriteLine($"cached: {folder} ({cached.Nodes:N0} nodes, {cached.Edges:N0} edges, {cached.Bundles} bundles)");
                return 0;
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var graph = ThreatGraphGenerator.Generate(seed, size);
            var m = DatasetWriter.Write(graph, folder);
            Console.WriteLine($"generated {folder}: {m.Nodes:N0} nodes, {m.Edges:N0} edges, {m.Objects:N0} objects in {m.Bundles} bundles, {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        }
    }
}
