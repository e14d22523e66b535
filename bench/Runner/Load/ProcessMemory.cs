using System.Globalization;

namespace ThreatGraph.Bench.Runner.Load;

/// <summary>Resident memory of another process from /proc/PID/status: VmHWM (peak RSS) and VmRSS, in MiB.
/// Managed-heap figures are not collected (no endpoint for them in the product, and none is added for the benchmark).</summary>
public static class ProcessMemory
{
    public static double? PeakMiB(int pid) => Read(pid, "VmHWM:");

    public static double? CurrentMiB(int pid) => Read(pid, "VmRSS:");

    /// <summary>Sum of VmRSS over a process and its children (PostgreSQL's backends; shared buffers count once per process that touched them).</summary>
    public static double? TreeRssMiB(int pid)
    {
        if (!Directory.Exists($"/proc/{pid}")) return null;
        double total = CurrentMiB(pid) ?? 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var child)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (ppid == pid) total += CurrentMiB(child) ?? 0;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }

    static double? Read(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return double.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
                }
            }
        }
        catch (IOException) { }
        return null;
    }

    public static string Format(double? mib) => mib is { } m ? $"{m:F0} MiB" : "n/a";
}
