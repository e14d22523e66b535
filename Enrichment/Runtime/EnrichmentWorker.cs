using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Enrichment.Hosting;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>
/// The host's loop: registers the jobs with the cluster, then runs each job's passes (requests, change feed) every
/// <see cref="EnrichmentOptions.PollSeconds"/>, at once again while there is work, and a backfill of every job each
/// <see cref="EnrichmentOptions.ScheduleMinutes"/>. A pass that fails (the cluster unreachable) is logged and tried
/// again after a doubling wait; its checkpoint was not moved, so nothing is skipped.
/// </summary>
public sealed class EnrichmentWorker(EnrichmentJobSet jobs, EnrichmentPasses passes, ChangeFeed feed, Backfill backfill,
    IOptions<EnrichmentOptions> options, TimeProvider time, ILogger<EnrichmentWorker> log) : BackgroundService
{
    static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        var schedule = options.Value.ScheduleMinutes > 0 ? TimeSpan.FromMinutes(options.Value.ScheduleMinutes) : (TimeSpan?)null;
        var nextBackfill = schedule is null ? DateTimeOffset.MaxValue : time.GetUtcNow() + schedule.Value;
        var backoff = poll;
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                if (!registered)
                {
                    await feed.EnsureLayoutAsync();
                    foreach (var job in jobs.Active)
                    {
                        await passes.RegisterAsync(job);
                    }
                    registered = true;
                    log.LogInformation("Enrichment jobs running: {Jobs}", string.Join(", ", jobs.Active.Select(j => j.Name)));
                }
                foreach (var job in jobs.Active)
                {
                    busy |= await passes.RunOnceAsync(job, stoppingToken);
                }
                if (time.GetUtcNow() >= nextBackfill)
                {
                    foreach (var job in jobs.Active)
                    {
                        var done = await backfill.RunAsync(job, null, stoppingToken);
                        log.LogInformation("Scheduled run of {Job}: {Processed} enriched, {Failed} failed of {Total}", job.Name, done.Processed, done.Failed, done.Total);
                    }
                    nextBackfill = time.GetUtcNow() + schedule!.Value;
                }
                backoff = poll;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (e is UnauthorizedAccessException)
                {
                    log.LogCritical("The cluster refused the enrichment identity: {Reason}", e.Message);
                    throw;
                }
                log.LogWarning(e, "Enrichment pass failed; trying again in {Seconds} s", backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken);
                backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
                continue;
            }
            if (!busy)
            {
                await Task.Delay(poll, time, stoppingToken);
            }
        }
    }
}
