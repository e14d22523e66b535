using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Enrichment.Hosting;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>
/// Runs one job over a set of objects, whatever triggered it (change feed, schedule, request): reads them as the job's
/// identity, enriches at most <see cref="EnrichmentOptions.MaxConcurrency"/> at once, each with a timeout and retries with
/// doubling waits, and hands each object's result to the cluster's writer (which writes it whole or not at all). One
/// object's failure is counted and logged; the others go on.
/// </summary>
public sealed class EnrichmentRunner(IGrainFactory grains, JobIdentity identity, IOptions<EnrichmentOptions> options,
    EnrichmentMetrics metrics, TimeProvider time, ILogger<EnrichmentRunner> log)
{
    readonly EnrichmentOptions _options = options.Value;

    public async Task<PassOutcome> RunAsync(IEnricher job, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        identity.Enter();
        var lookups = new EnrichmentLookups(grains, identity);
        var types = job.ObjectTypes.ToHashSet(StringComparer.Ordinal);
        var inputs = (await lookups.ReadAsync([.. ids.Distinct(StringComparer.Ordinal)])).Where(o => types.Contains(o.Input.Type)).ToList();
        var rejected = (await grains.GetGrain<IEnrichmentJobGrain>(job.Name).GetRejectedAsync()).ToHashSet(StringComparer.Ordinal);
        long processed = 0, failed = 0;
        string? lastError = null;
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (input, ct) =>
            {
                var error = await EnrichOneAsync(job, input, lookups, rejected, ct);
                if (error is null)
                {
                    Interlocked.Increment(ref processed);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    metrics.Failed(job.Name);
                    log.LogWarning("Enrichment job {Job} failed on {Id}: {Error}", job.Name, input.Input.Id, error);
                    lastError = $"{input.Input.Id}: {error}";
                }
            });
        return new PassOutcome(processed, failed, lastError);
    }

    /// <returns>Null when the object was enriched (or needed nothing), else why not.</returns>
    async Task<string?> EnrichOneAsync(IEnricher job, VisibleObject input, EnrichmentLookups lookups, HashSet<string> rejected, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
        var started = Stopwatch.GetTimestamp();
        string? error = null;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            try
            {
                identity.Enter();
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(timeout);
                var context = new HostEnrichmentContext(identity.IdentityId, input.Stamp, lookups);
                // A copy: the job may not change what the next attempt (or another job) reads.
                var copy = new EnrichmentInput(input.Input.Id, input.Input.Type, (JsonObject)input.Input.Stix.DeepClone());
                // WaitAsync: an enricher that ignores its token still gives the object up at the deadline.
                var result = await job.EnrichAsync(copy, context, deadline.Token).AsTask().WaitAsync(timeout, time, ct);
                var objects = result.Objects.Where(o => !rejected.Contains(IdOf(o))).Select(o => o.ToJsonString()).ToList();
                if (objects.Count == 0)
                {
                    metrics.Processed(job.Name, Stopwatch.GetElapsedTime(started).TotalSeconds, 0);
                    return null;
                }
                var written = await grains.GetGrain<IEnrichmentWriterGrain>(0).WriteAsync(new EnrichmentWrite(job.Name, identity.IdentityId, input.Input.Id, objects));
                if (written.Error is not null)
                {
                    return written.Error; // refused or invalid: the same output would be refused again
                }
                metrics.Processed(job.Name, Stopwatch.GetElapsedTime(started).TotalSeconds, written.Created + written.Updated);
                return null;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                error = e is TimeoutException or OperationCanceledException
                    ? $"no answer within {_options.TimeoutSeconds} s (Enrichment:TimeoutSeconds)"
                    : $"{e.GetType().Name}: {e.Message}";
            }
            if (attempt < _options.MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(_options.RetryDelaySeconds * Math.Pow(2, attempt - 1)), time, ct);
            }
        }
        return $"{error} (after {_options.MaxAttempts} attempts)";
    }

    static string IdOf(JsonObject o) => o["id"] is JsonValue v && v.TryGetValue(out string? id) ? id : "";
}
