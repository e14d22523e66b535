using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ThreatGraph.Bench.Runner.Report;

/// <summary>Rewrites the part of bench/README.md between the results markers with this run's tables.</summary>
public static class ReadmeWriter
{
    public const string Begin = "<!-- results:begin (written by bench/run.sh; edits inside are overwritten) -->";
    public const string End = "<!-- results:end -->";

    public static void Write(string readme, Results r)
    {
        var text = File.Exists(readme) ? File.ReadAllText(readme) : $"# Benchmarks\n\n{Begin}\n{End}\n";
        var b = text.IndexOf(Begin, StringComparison.Ordinal);
        var e = text.IndexOf(End, StringComparison.Ordinal);
        if (b < 0 || e < b) { text += $"\n{Begin}\n{End}\n"; b = text.IndexOf(Begin, StringComparison.Ordinal); e = text.IndexOf(End, StringComparison.Ordinal); }
        var updated = text[..(b + Begin.Length)] + "\n" + Render(r) + text[e..];
        File.WriteAllText(readme, updated);
    }

    static string F(double v, int digits = 1) => double.IsNaN(v) ? "–" : v.ToString(v >= 100 ? "F0" : $"F{digits}", CultureInfo.InvariantCulture);
    static string Ratio(double tg, double peer) => double.IsNaN(tg) || double.IsNaN(peer) || peer <= 0 ? "–" : (tg / peer).ToString(tg / peer >= 10 ? "F0" : "F2", CultureInfo.InvariantCulture) + "×";

    public static string Render(Results r)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"### Run: `{r.Size}` (seed {r.Seed}) — {r.Started:yyyy-MM-dd HH:mm} UTC, {r.Elapsed.TotalMinutes:F1} min of benchmark");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine()}");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Data: {r.Nodes:N0} nodes, {r.Edges:N0} edges, {r.StixObjects:N0} STIX objects (nodes + relationship SROs). Each rate step runs {r.StepSeconds:F0} s; rates go ×4 per step until p99 > 100 ms (step cap in bench/README.md).");
        s.AppendLine();
        s.AppendLine("#### Loading");
        s.AppendLine();
        s.AppendLine("| system | what | time (s) | rate | peak memory | notes |");
        s.AppendLine("|---|---|---:|---:|---|---|");
        foreach (var l in r.Loads)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {l.System} | {l.What} | {F(l.Seconds)} | {(l.Count > 0 ? $"{l.Rate:N0} {l.Unit}/s" : "–")} | {l.PeakMemory} | {l.Notes} |");
        }
        s.AppendLine();
        if (r.Memory.Count > 0)
        {
            s.AppendLine("Peak memory after all workloads: " + string.Join("; ", r.Memory.Select(m => $"{m.Key}: {m.Value}")) + ".");
            s.AppendLine();
        }

        foreach (var group in r.Workloads.GroupBy(w => w.Workload))
        {
            var first = group.First();
            var baseRate = group.Select(w => w.Base?.Rate).FirstOrDefault(x => x is not null);
            s.AppendLine(CultureInfo.InvariantCulture, $"#### {first.Title}");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"| system | p50 / p99 / p99.9 (ms) at {F(baseRate ?? double.NaN, 0)}/s | highest rate with p99 ≤ 100 ms | throughput there (ops/s) | p50 / p99 / p99.9 there (ms) | right answers | errors |");
            s.AppendLine("|---|---|---:|---:|---|---:|---:|");
            foreach (var w in group)
            {
                if (w.NotApplicable is not null || w.Base is null)
                {
                    s.AppendLine(CultureInfo.InvariantCulture, $"| {w.System} | {w.NotApplicable ?? "n/a"} | | | | | |");
                    continue;
                }
                var bs = w.Base;
                var sus = w.Sustained;
                var offered = w.Steps.Sum(x => x.Offered);
                var right = w.Steps.Sum(x => x.Completed - x.Wrong);
                var errors = w.Steps.Sum(x => x.Errors + x.TimedOut);
                var firstError = w.Steps.Select(x => x.FirstError).FirstOrDefault(x => x is not null);
                var rate = sus is null ? "none (p99 > 100 ms at the lowest rate)" : (w.Saturated ? $"{F(sus.Rate, 0)}/s" : $"≥ {F(sus.Rate, 0)}/s (not saturated)");
                s.AppendLine(CultureInfo.InvariantCulture, $"| {w.System} | {F(bs.P50, 2)} / {F(bs.P99, 2)} / {F(bs.P999, 2)} | {rate} | {(sus is null ? "–" : F(sus.Throughput, 0))} | " +
                             $"{(sus is null ? "–" : $"{F(sus.P50, 2)} / {F(sus.P99, 2)} / {F(sus.P999, 2)}")} | {right:N0}/{offered:N0} | {errors}{(firstError is null ? "" : $" ({Escape(firstError)})")} |");
            }
            s.AppendLine();
        }

        s.AppendLine("#### ThreatGraph ÷ best peer and ÷ in-memory floor");
        s.AppendLine();
        s.AppendLine("Latency ratios at each workload's base rate (same offered load for every system; > 1× = ThreatGraph slower). Throughput ratio: highest sustained rate (p99 ≤ 100 ms) (< 1× = ThreatGraph sustains less). Best peer = the better of PostgreSQL and Kùzu for that column.");
        s.AppendLine();
        s.AppendLine("| workload | ThreatGraph level | p50 ÷ best peer | p99 ÷ best peer | p99.9 ÷ best peer | p50 ÷ floor | p99 ÷ floor | p99.9 ÷ floor | sustained rate ÷ best peer | ÷ floor |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in r.Workloads.GroupBy(w => w.Workload))
        {
            var peers = group.Where(w => !w.IsThreatGraph && !w.System.StartsWith("in-memory", StringComparison.Ordinal) && w.Base is not null && w.NotApplicable is null).ToList();
            var floor = group.FirstOrDefault(w => w.System.StartsWith("in-memory", StringComparison.Ordinal) && w.Base is not null);
            foreach (var tg in group.Where(w => w.IsThreatGraph))
            {
                var level = tg.System.Replace("ThreatGraph ", "", StringComparison.Ordinal).Trim('(', ')');
                if (tg.NotApplicable is not null || tg.Base is null)
                {
                    s.AppendLine(CultureInfo.InvariantCulture, $"| {group.First().Title} | {level} | {tg.NotApplicable ?? "n/a"} | | | | | | | |");
                    continue;
                }
                double Best(Func<WorkloadRow, double> f) => peers.Count == 0 ? double.NaN : peers.Min(f);
                double BestRate() => peers.Count == 0 ? double.NaN : peers.Max(p => p.Sustained?.Rate ?? double.NaN);
                var b = tg.Base;
                var fl = floor?.Base;
                s.AppendLine(CultureInfo.InvariantCulture, $"| {group.First().Title} | {level} | {Ratio(b.P50, Best(p => p.Base!.P50))} | {Ratio(b.P99, Best(p => p.Base!.P99))} | {Ratio(b.P999, Best(p => p.Base!.P999))} | " +
                             $"{Ratio(b.P50, fl?.P50 ?? double.NaN)} | {Ratio(b.P99, fl?.P99 ?? double.NaN)} | {Ratio(b.P999, fl?.P999 ?? double.NaN)} | " +
                             $"{Ratio(tg.Sustained?.Rate ?? double.NaN, BestRate())} | {Ratio(tg.Sustained?.Rate ?? double.NaN, floor?.Sustained?.Rate ?? double.NaN)} |");
            }
        }
        s.AppendLine();
        if (r.Notes.Count > 0)
        {
            s.AppendLine("#### Notes from this run");
            s.AppendLine();
            foreach (var n in r.Notes) s.AppendLine(CultureInfo.InvariantCulture, $"- {n}");
            s.AppendLine();
        }
        return s.ToString();
    }

    static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)[..Math.Min(160, s.Length)];

    static string Machine()
    {
        string Sh(string cmd)
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", cmd]) { RedirectStandardOutput = true })!;
                var o = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                return o;
            }
            catch (Exception e) { return e.Message; }
        }
        var cpu = Sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").Trim();
        var mem = Sh("free -g | awk '/Mem:/ {print $2}'");
        return $"`nproc` = {Environment.ProcessorCount}, {cpu}, `free -g` total {mem} GiB, {Sh("uname -sr")}, .NET {Environment.Version}, {Sh("node --version")}, {Sh("psql --version")}. " +
               "The 2 cores are shared with other engineers' builds and tests during the run: numbers are noisy.";
    }
}
