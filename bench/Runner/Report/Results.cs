using ThreatGraph.Bench.Runner.Load;

namespace ThreatGraph.Bench.Runner.Report;

public sealed record LoadRow(string System, string What, double Seconds, double Count, string Unit, string PeakMemory, string Notes)
{
    public double Rate => Seconds > 0 ? Count / Seconds : 0;
}

public sealed record WorkloadRow(string Workload, string Title, string System, bool IsThreatGraph, string? NotApplicable, IReadOnlyList<StepResult> Steps)
{
    public StepResult? Base => Steps.Count > 0 ? Steps[0] : null;

    /// <summary>The highest-rate step that stayed within budget (p99 ≤ 100 ms, &lt; 1% errors).</summary>
    public StepResult? Sustained => Steps.Where(s => s.WithinBudget).MaxBy(s => s.Rate);

    /// <summary>True when some step broke the budget (the ladder found saturation); false when even the top step held.</summary>
    public bool Saturated => Steps.Any(s => !s.WithinBudget);
}

public sealed class Results
{
    public required string Size { get; init; }
    public required int Seed { get; init; }
    public required int Nodes { get; init; }
    public required int Edges { get; init; }
    public required int StixObjects { get; init; }
    public required double StepSeconds { get; init; }
    public List<LoadRow> Loads { get; } = [];
    public List<WorkloadRow> Workloads { get; } = [];
    public List<string> Notes { get; } = [];
    public Dictionary<string, string> Memory { get; } = [];
    /// <summary>CPU seconds per named process during the bulk ingest (<c>--cpu-pids</c>), and the ingest's wall seconds.</summary>
    public Dictionary<string, double> Cpu { get; } = [];
    public DateTimeOffset Started { get; init; } = DateTimeOffset.UtcNow;
    public TimeSpan Elapsed { get; set; }
}
