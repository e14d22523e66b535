using System.Diagnostics;
using System.Text.Json;
using ThreatGraph.Bench.Generator;
using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Load;
using ThreatGraph.Bench.Runner.Report;
using ThreatGraph.Bench.Runner.Systems;
using ThreatGraph.Bench.Runner.Workloads;

namespace ThreatGraph.Bench.Runner;

/// <summary>Loads every system, runs every workload against every system on a rate ladder, writes the results.</summary>
public static class RunCommand
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(Options o)
    {
        var total = Stopwatch.StartNew();
        var folder = o.Get("data") ?? throw new ArgumentException("--data is required");
        var manifest = DatasetWriter.ReadManifest(folder) ?? throw new ArgumentException($"{folder} has no current manifest.json: run generate first");
        var seed = o.GetInt("seed", manifest.Seed);
        var stepSeconds = o.GetDouble("step-seconds", 3);
        var only = o.Get("only")?.Split(',').ToHashSet(StringComparer.Ordinal);
        var readme = o.Get("readme");
        var resultsFile = o.Get("results");
        var tgPid = o.GetInt("tg-pid", 0);
        var pgPid = o.GetInt("pg-pid", 0);
        var kuzuPid = o.GetInt("kuzu-pid", 0);

        var results = new Results
        {
            Size = manifest.Size, Seed = manifest.Seed, Nodes = manifest.Nodes, Edges = manifest.Edges, StixObjects = manifest.Objects, StepSeconds = stepSeconds,
        };

        Log($"loading dataset {folder}");
        var clock = Stopwatch.StartNew();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var data = Dataset.Load(folder);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        results.Loads.Add(new LoadRow("in-memory floor (1 thread)", "read nodes.csv + edges.csv into CSR arrays", clock.Elapsed.TotalSeconds,
            data.NodeCount + data.EdgeCount, "rows", $"{(heapAfter - heapBefore) / 1048576.0:F0} MiB managed", "in the runner process"));
        var oracle = new GraphAlgorithms(data);

        var systems = new List<IGraphSystem> { new FloorSystem(data) };

        // ---- PostgreSQL ----
        if (o.Get("pg") is { } pg)
        {
            var postgres = new PostgresSystem(pg);
            Log("PostgreSQL: loading");
            var (seconds, rows) = await postgres.LoadAsync(folder);
            results.Loads.Add(new LoadRow(postgres.Name, "COPY nodes + edges, build adjacency + indexes, ANALYZE", seconds, rows, "rows",
                pgPid > 0 ? ProcessMemory.Format(ProcessMemory.TreeRssMiB(pgPid)) + " RSS (server + backends, now)" : "n/a", "fsync off (bench cluster)"));
            systems.Add(postgres);
        }
        // ---- Kùzu ----
        if (o.Get("kuzu") is { } kuzuUrl)
        {
            var kuzu = new KuzuSystem(new Uri(kuzuUrl));
            Log("Kùzu: loading");
            var (seconds, rows) = await kuzu.LoadAsync(data);
            results.Loads.Add(new LoadRow(kuzu.Name, "COPY N + E from CSV", seconds, rows, "rows",
                kuzuPid > 0 ? ProcessMemory.Format(ProcessMemory.PeakMiB(kuzuPid)) + " peak RSS (Node process)" : "n/a", "embedded, on-disk database in bench/out"));
            systems.Add(kuzu);
        }
        // ---- ThreatGraph ----
        if (o.Get("tg-url") is { } tgUrl)
        {
            var gateway = new ThreatGraphGatewaySystem(new Uri(tgUrl.TrimEnd('/') + "/"));
            // --tg-ingest-urls a,b,c: bundles go round robin to these gateways (a cluster's silos); default --tg-url.
            var ingestGateways = (o.Get("tg-ingest-urls")?.Split(',') ?? [tgUrl])
                .Select(u => new ThreatGraphGatewaySystem(new Uri(u.TrimEnd('/') + "/"))).ToList();
            // --cpu-pids name=pid,…: CPU seconds each process used during the ingest (Azurite's share of the machine).
            var cpuPids = ProcessCpu.ParseList(o.Get("cpu-pids"));
            var cpuBefore = cpuPids.Select(p => ProcessCpu.Seconds(p.Pid)).ToList();
            var rssBefore = tgPid > 0 ? ProcessMemory.CurrentMiB(tgPid) : null;
            // --tg-loaded true: the silo already holds this dataset (a profiling loop against one long-lived silo); no load row.
            var loaded = o.Get("tg-loaded") == "true";
            Log(loaded ? "ThreatGraph: already loaded (--tg-loaded)" : $"ThreatGraph: bulk ingest through POST /api/bundles on {ingestGateways.Count} gateway(s)");
            var (seconds, accepted, rejected, firstError) = loaded ? (0, 0, 0, null) : await BulkIngestAsync(ingestGateways, folder, o.GetInt("ingest-parallelism", 2));
            var cpuUse = cpuPids.Select((p, i) => (p.Name, Seconds: ProcessCpu.Seconds(p.Pid) - cpuBefore[i])).ToList();
            foreach (var (name, cpu) in cpuUse)
            {
                results.Cpu[name] = cpu is { } c ? Math.Round(c, 1) : -1;
            }
            results.Cpu["ingest wall seconds"] = Math.Round(seconds, 1);
            foreach (var g in ingestGateways) g.Dispose();
            var rssAfter = tgPid > 0 ? ProcessMemory.CurrentMiB(tgPid) : null;
            var perNode = rssBefore is { } rb && rssAfter is { } ra ? $"; ≈ {(ra - rb) * 1048576 / manifest.Objects:N0} B of RSS per stored object" : "";
            if (!loaded) results.Loads.Add(new LoadRow("ThreatGraph", $"POST /api/bundles, {manifest.Bundles} bundles, {o.GetInt("ingest-parallelism", 2)} in parallel over {ingestGateways.Count} gateway(s)", seconds, accepted, "objects",
                tgPid > 0 ? $"{ProcessMemory.Format(ProcessMemory.PeakMiB(tgPid))} peak RSS (silo + gateway){perNode}{await ManagedHeapAsync(tgUrl)}" : "n/a",
                (rejected == 0 ? $"{o.Get("tg-storage", "memory grain storage")}; every object accepted" : $"{rejected} rejected or lost") + (firstError is null ? "" : $"; {firstError}")));
            // --tg-settle-seconds N: reads are measured on a silo at rest, as a deployment runs after a bulk load, not
            // in the load's aftermath (idle activations collected, the heap trimmed: README "Orleans:TrimMemoryWhenIdle").
            // What the silo holds then is the memory-at-rest row.
            if (!loaded && o.GetInt("tg-settle-seconds", 0) is > 0 and var settle && tgPid > 0)
            {
                Log($"ThreatGraph: waiting up to {settle} s for the silo to settle (idle collection, both idle trims)");
                var waited = await SettleAsync(tgUrl, TimeSpan.FromSeconds(settle));
                var rssAtRest = ProcessMemory.CurrentMiB(tgPid);
                results.Loads.Add(new LoadRow("ThreatGraph at rest", $"{waited.TotalSeconds:F0} s after the load (both idle trims done or {settle} s), before the reads", waited.TotalSeconds, 0, "objects",
                    $"{ProcessMemory.Format(rssAtRest)} RSS; ≈ {rssAtRest * 1048576 / manifest.Objects:N0} B of RSS per stored object{await ManagedHeapAsync(tgUrl)}",
                    "no reads or writes since the load"));
            }
            // --tg-levels gateway,client (default): which ThreatGraph levels are measured (the gateway loads the data either way).
            var levels = o.Get("tg-levels", "gateway,client").Split(',').ToHashSet(StringComparer.Ordinal);
            await gateway.ProbeAsync();
            if (gateway.GraphQLMissing is not null) results.Notes.Add($"ThreatGraph gateway reads: {gateway.GraphQLMissing}.");
            if (levels.Contains("gateway")) systems.Add(gateway);
            // --caller member (an organisation member, as enrichment jobs call), system (sees everything: no access
            // checks) or both, to measure what the access policy costs.
            bool[] asSystem = o.Get("caller", "member") switch
            {
                "member" => [false],
                "system" => [true],
                "both" => [false, true],
                var other => throw new ArgumentException($"--caller must be member, system or both, got '{other}'"),
            };
            foreach (var system in levels.Contains("client") ? asSystem : [])
            {
                try
                {
                    systems.Add(await ThreatGraphClientSystem.ConnectAsync(o.GetInt("tg-gateway-port", 30100), o.Get("tg-service-id", "threatgraph"),
                        o.Get("tg-cluster-id", "threatgraph-dev"), system));
                }
                catch (Exception e)
                {
                    results.Notes.Add($"Orleans client could not connect: {e.Message}");
                }
            }
        }

        // ---- workloads ----
        var workloads = Workload.All(seed).Where(w => only is null || only.Contains(w.Key)).ToList();
        foreach (var workload in workloads)
        {
            Log($"workload {workload.Key}: preparing inputs and answers");
            workload.Prepare(data, oracle, new Random(seed * 7919 + workload.Key.GetHashCode(StringComparison.Ordinal) % 1000 + workload.Key.Length));
            if (workload is ShortestPathWorkload sp)
            {
                results.Notes.Add($"Shortest path: {sp.Total} incident pairs, {sp.Reachable} reachable within {Limits.MaxPathHops} hops over threat-relationship edges.");
            }
            for (var k = 0; k < systems.Count; k++)
            {
                var system = systems[k];
                if (workload.Unsupported(system) is { } why)
                {
                    results.Workloads.Add(new WorkloadRow(workload.Key, workload.Title, system.Name, system.IsThreatGraph, why, []));
                    continue;
                }
                try
                {
                    await workload.StartSystemAsync(system, k);
                }
                catch (Exception e)
                {
                    await workload.EndSystemAsync();
                    Log($"  {workload.Key,-13} {system.Name,-36} could not start: {e.Message}");
                    results.Workloads.Add(new WorkloadRow(workload.Key, workload.Title, system.Name, system.IsThreatGraph, $"failed to start: {e.GetType().Name}: {e.Message}", []));
                    continue;
                }
                var steps = await RunLadderAsync(workload, system, stepSeconds, o.GetInt("max-steps", 4), k * InputStride);
                await workload.EndSystemAsync();
                results.Workloads.Add(new WorkloadRow(workload.Key, workload.Title, system.Name, system.IsThreatGraph, null, steps));
                // A request the runner gave up on may still run in its server (Kùzu's Node process goes on with every
                // queued 2-hop query): the next system starts once the servers are quiet, not on their leftovers.
                await QuietAsync([tgPid, pgPid, kuzuPid], TimeSpan.FromSeconds(o.GetInt("quiet-seconds", 300)));
            }
            // A long run (large: over an hour) that is stopped keeps what it measured: the results so far are written
            // after every workload, marked partial until the end.
            await SaveAsync(results, total, resultsFile, readme, $"Partial: the run was stopped or is still running after workload `{workload.Key}`.");
        }

        if (tgPid > 0) results.Memory["ThreatGraph peak RSS (VmHWM)"] = ProcessMemory.Format(ProcessMemory.PeakMiB(tgPid));
        if (kuzuPid > 0) results.Memory["Kùzu Node process peak RSS"] = ProcessMemory.Format(ProcessMemory.PeakMiB(kuzuPid));
        if (pgPid > 0) results.Memory["PostgreSQL RSS now (server + backends)"] = ProcessMemory.Format(ProcessMemory.TreeRssMiB(pgPid));
        results.Memory["runner process peak RSS (floor + load generator + Orleans client)"] = ProcessMemory.Format(ProcessMemory.PeakMiB(Environment.ProcessId));
        foreach (var s in systems)
        {
            switch (s)
            {
                case IAsyncDisposable a: await a.DisposeAsync(); break;
                case IDisposable d: d.Dispose(); break;
            }
        }
        await SaveAsync(results, total, resultsFile, readme, partial: null);
        if (readme is not null)
        {
            Log($"wrote {readme}");
        }
        Console.WriteLine(ReadmeWriter.Render(results));
        return 0;
    }

    static async Task SaveAsync(Results results, Stopwatch total, string? resultsFile, string? readme, string? partial)
    {
        results.Elapsed = total.Elapsed;
        results.Notes.RemoveAll(n => n.StartsWith("Partial:", StringComparison.Ordinal));
        if (partial is not null)
        {
            results.Notes.Add(partial);
        }
        if (resultsFile is not null)
        {
            await File.WriteAllTextAsync(resultsFile, JsonSerializer.Serialize(results, Indented));
        }
        if (readme is not null)
        {
            ReadmeWriter.Write(readme, results);
        }
    }

    /// <summary>Waits until the servers together use less than a tenth of a core over a second, at most <paramref name="limit"/>.</summary>
    static async Task QuietAsync(IReadOnlyList<int> pids, TimeSpan limit)
    {
        var live = pids.Where(p => p > 0).ToList();
        var clock = Stopwatch.StartNew();
        double Busy() => live.Sum(p => ProcessCpu.Seconds(p) ?? 0);
        var before = Busy();
        while (clock.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = Busy();
            if (now - before < 0.1)
            {
                break;
            }
            before = now;
        }
        if (clock.Elapsed > TimeSpan.FromSeconds(3))
        {
            Log($"  (waited {clock.Elapsed.TotalSeconds:F0} s for the servers to finish what the last system left running)");
        }
    }

    /// <summary>Waits until the silo reports both idle trims of its quiet period (GET /health/memory, idleTrims), so the
    /// second trim's blocking collection does not fall into the reads; at most <paramref name="limit"/>. The count goes
    /// back to 0 when the silo is busy between the trims (deactivating the load's grains can be), and then a second
    /// trim may never come: 4 minutes after the first (the second is due 3 minutes after it) the silo counts as at rest.</summary>
    static async Task<TimeSpan> SettleAsync(string tgUrl, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? firstTrim = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (clock.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            try
            {
                var memory = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(tgUrl.TrimEnd('/') + "/health/memory"))!;
                var trims = memory["idleTrims"]?.GetValue<int>() ?? 0;
                firstTrim ??= trims >= 1 ? clock.Elapsed : null;
                if (trims >= 2 || clock.Elapsed - firstTrim >= TimeSpan.FromMinutes(4))
                {
                    break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                Log($"ThreatGraph: /health/memory did not answer ({e.Message}); waiting on");
            }
        }
        return clock.Elapsed;
    }

    /// <summary>The silo's managed heap after its last garbage collection (GET /health/memory), for the load row.</summary>
    static async Task<string> ManagedHeapAsync(string tgUrl)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var memory = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(tgUrl.TrimEnd('/') + "/health/memory"))!;
            return $"; managed heap {memory["heapBytes"]!.GetValue<long>() / 1048576:N0} MiB at the last GC"
                   + $" ({(memory["serverGc"]!.GetValue<bool>() ? "server" : "workstation")} GC)";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return $"; managed heap n/a ({e.Message})";
        }
    }

    static async Task<(double Seconds, int Accepted, int Rejected, string? FirstError)> BulkIngestAsync(IReadOnlyList<ThreatGraphGatewaySystem> gateways, string folder, int parallelism)
    {
        var files = Directory.GetFiles(Path.Combine(folder, "bundles"), "*.json").Order(StringComparer.Ordinal).ToList();
        int accepted = 0, rejected = 0, done = 0, failedRequests = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files.Select((f, i) => (File: f, Gateway: gateways[i % gateways.Count])), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) =>
        {
            var (file, gateway) = item;
            var (a, r, e) = await gateway.PostBundleFileAsync(file);
            if (r < 0)
            {
                // The request failed as a whole (e.g. 500 after Orleans' 30 s response timeout). Retry once: ingest is
                // idempotent (a repeated version is Unchanged), and the failure is reported.
                Interlocked.Increment(ref failedRequests);
                Log($"  {Path.GetFileName(file)} failed ({e}); retrying once");
                (a, r, e) = await gateway.PostBundleFileAsync(file);
            }
            Interlocked.Add(ref accepted, a);
            if (r != 0) { Interlocked.Add(ref rejected, Math.Max(r, 1)); firstError ??= e; }
            var n = Interlocked.Increment(ref done);
            if (n % 10 == 0 || n == files.Count) Log($"  {n}/{files.Count} bundles, {accepted:N0} objects, {accepted / clock.Elapsed.TotalSeconds:N0} objects/s");
        });
        if (failedRequests > 0) firstError = $"{failedRequests} bundle request(s) failed and were retried once; {firstError}";
        return (clock.Elapsed.TotalSeconds, accepted, rejected, firstError);
    }

    /// <summary>Each system starts its ladder this many inputs after the previous one, so that no system's first step
    /// asks what an earlier system has just asked: ThreatGraph's client level, run after the gateway, would otherwise
    /// find the gateway's activations still warm, and a peer's cache the previous peer's inputs.</summary>
    const int InputStride = 1_009;

    static async Task<List<StepResult>> RunLadderAsync(Workload workload, IGraphSystem system, double stepSeconds, int maxSteps, int start)
    {
        // Warm-up (not recorded): a few sequential operations, at most 3 s, from the end of this system's stride (its
        // first step starts at the beginning).
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 30 && warm.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            try { await workload.RunOneAsync(system, start + InputStride - 1 - i, CancellationToken.None); }
            catch (Exception e) when (e is not NotSupportedException) { }
        }
        var steps = new List<StepResult>();
        var next = start;
        for (var k = 0; k < Math.Min(workload.Steps, maxSteps); k++)
        {
            var rate = workload.BaseRate * Math.Pow(4, k);
            var step = await OpenLoop.RunStepAsync(rate, TimeSpan.FromSeconds(stepSeconds), maxInFlight: 256, drain: TimeSpan.FromSeconds(Math.Max(5, stepSeconds)),
                (i, ct) => workload.RunOneAsync(system, i, ct), next);
            next += step.Offered;
            steps.Add(step);
            Log($"  {workload.Key,-13} {system.Name,-36} {rate,7:F0}/s: done {step.Throughput,8:F0}/s p50 {step.P50,8:F2} p99 {step.P99,8:F2} p99.9 {step.P999,8:F2} ms, wrong {step.Wrong}, errors {step.Errors + step.TimedOut}{(step.FirstError is null ? "" : " " + step.FirstError)}");
            if (!step.WithinBudget) break;
        }
        return steps;
    }

    static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
