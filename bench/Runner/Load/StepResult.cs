namespace ThreatGraph.Bench.Runner.Load;

/// <summary>One fixed-rate step. Latencies are measured from each request's scheduled time (open loop), so a
/// backlog shows up as latency instead of hiding as a lower send rate.</summary>
public sealed record StepResult(
    double Rate, int Offered, int Completed, int Errors, int Wrong, int TimedOut, double Seconds,
    double P50, double P99, double P999, double Max, string? FirstError)
{
    public double Throughput => Seconds > 0 ? Completed / Seconds : 0;

    /// <summary>The step kept up: p99 within the 100 ms budget and under 1% errors.</summary>
    public bool WithinBudget => P99 <= OpenLoop.BudgetMs && Errors + TimedOut <= Offered / 100;
}
