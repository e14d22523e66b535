namespace ThreatGraph.Bench.Correlation;

/// <summary>The p-th quantile of a sorted sample, and the median of an unsorted one.</summary>
public static class Percentiles
{
    public static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    public static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
