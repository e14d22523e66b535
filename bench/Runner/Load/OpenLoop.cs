using System.Diagnostics;

namespace ThreatGraph.Bench.Runner.Load;

/// <summary>
/// Fixed-arrival-rate load: request i is scheduled at start + i/rate whatever happened to earlier ones, and its
/// latency runs from that scheduled time to its reply. Every latency is kept (a sorted array gives exact
/// percentiles, as an HdrHistogram would at full precision). In-flight requests are capped; when the cap is hit the
/// sender waits, and the wait counts as latency (no coordinated omission).
/// </summary>
public static class OpenLoop
{
    public const double BudgetMs = 100;

    public static async Task<StepResult> RunStepAsync(double rate, TimeSpan duration, int maxInFlight, TimeSpan drain,
        Func<int, CancellationToken, Task<bool>> operation, int firstIndex)
    {
        var total = Math.Max(1, (int)Math.Round(rate * duration.TotalSeconds));
        var latencies = new double[total];
        Array.Fill(latencies, double.NaN);
        var gate = new SemaphoreSlim(maxInFlight);
        using var cts = new CancellationTokenSource();
        int errors = 0, wrong = 0;
        string? firstError = null;
        var tasks = new Task[total];
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = Stopwatch.Frequency / rate;
        long lastCompletion = start;

        async Task RunOne(int i, long scheduled)
        {
            try
            {
                if (!await operation(firstIndex + i, cts.Token)) Interlocked.Increment(ref wrong);
            }
            catch (Exception e)
            {
                if (Interlocked.Increment(ref errors) == 1) firstError = e.GetType().Name + ": " + e.Message;
            }
            finally
            {
                var now = Stopwatch.GetTimestamp();
                latencies[i] = (now - scheduled) * 1000.0 / Stopwatch.Frequency;
                InterlockedMax(ref lastCompletion, now);
                gate.Release();
            }
        }

        for (var i = 0; i < total; i++)
        {
            var scheduled = start + (long)(i * ticksPerRequest);
            var wait = scheduled - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                var ms = wait * 1000.0 / Stopwatch.Frequency;
                if (ms >= 2) await Task.Delay(TimeSpan.FromMilliseconds(ms - 1));
                while (Stopwatch.GetTimestamp() < scheduled) Thread.SpinWait(50);
            }
            await gate.WaitAsync();
            var index = i;
            tasks[i] = Task.Run(() => RunOne(index, scheduled));
        }

        var all = Task.WhenAll(tasks);
        var timedOut = 0;
        if (await Task.WhenAny(all, Task.Delay(drain)) != all)
        {
            await cts.CancelAsync();
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < total; i++)
            {
                if (double.IsNaN(Volatile.Read(ref latencies[i])))
                {
                    timedOut++;
                    latencies[i] = (now - (start + (long)(i * ticksPerRequest))) * 1000.0 / Stopwatch.Frequency;
                }
            }
            lastCompletion = now;
        }
        var seconds = (Interlocked.Read(ref lastCompletion) - start) / (double)Stopwatch.Frequency;
        var sorted = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
        return new StepResult(rate, total, total - timedOut - errors, errors, wrong, timedOut, Math.Max(seconds, duration.TotalSeconds * 0.5),
            Percentile(sorted, 0.50), Percentile(sorted, 0.99), Percentile(sorted, 0.999), sorted.Length > 0 ? sorted[^1] : double.NaN, firstError);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
