using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ThreatGraph.Enrichment.Hosting;
using ThreatGraph.Enrichment.Runtime;

namespace ThreatGraph.Enrichment.Cli;

/// <summary><c>backfill --job NAME</c>: runs one job over everything of its types the identity may see, now, printing a
/// progress bar; the counts also go to the job's row in <c>enrichmentJobs</c>. Other arguments are configuration
/// (<c>--Orleans:GatewayPort=30001</c>).</summary>
public static class BackfillCommand
{
    const int BarWidth = 30;

    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--job");
        if (at < 0 || at + 1 >= args.Length)
        {
            await Console.Error.WriteLineAsync("usage: backfill --job NAME [--Key=value …]");
            return 2;
        }
        var name = args[at + 1];
        var builder = EnrichmentHostBuilder.Create([.. args[..at], .. args[(at + 2)..]]);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning); // the progress bar is the output
        builder.AddThreatGraphEnrichmentClient();
        using var host = builder.Build();
        var job = host.Services.GetRequiredService<EnrichmentJobSet>().Find(name);
        await host.StartAsync();
        await host.Services.GetRequiredService<EnrichmentPasses>().RegisterAsync(job);
        var done = await host.Services.GetRequiredService<Backfill>().RunAsync(job, new DrawnProgress(), default);
        Draw(done);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{job.Name}: {done.Done} objects in {done.Elapsed.TotalSeconds:F1} s ({done.PerSecond:F0} objects/s), {done.Processed} enriched, {done.Failed} failed"));
        await host.StopAsync();
        return done.Failed > 0 ? 1 : 0;
    }

    /// <summary>Draws as it is told (Progress&lt;T&gt; would post to the thread pool, drawing after the summary).</summary>
    sealed class DrawnProgress : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => Draw(value);
    }

    static void Draw(BackfillProgress p)
    {
        var filled = p.Total == 0 ? BarWidth : (int)((long)BarWidth * p.Done / p.Total);
        Console.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r{p.Job} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {p.Done}/{p.Total}  failed {p.Failed}  {p.PerSecond:F0} objects/s  "));
    }
}
