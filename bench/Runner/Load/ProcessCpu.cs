using System.Globalization;

namespace ThreatGraph.Bench.Runner.Load;

/// <summary>CPU time (user + system) a process has used, from /proc/PID/stat, in seconds. The difference over an
/// interval divided by the interval is that process's share in cores (2.0 = both cores of this machine).</summary>
public static class ProcessCpu
{
    // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK); /proc reports clock ticks.
    const double TicksPerSecond = 100;

    public static double? Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state=0, …, utime=11, stime=12.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException) { return null; }
    }

    /// <summary>Parses <c>name=pid,name=pid</c> (the <c>--cpu-pids</c> option).</summary>
    public static IReadOnlyList<(string Name, int Pid)> ParseList(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',').Select(p => p.Split('=')).Select(p => (p[0], int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
}
