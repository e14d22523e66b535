using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Enrichment.Hosting;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>Runs a job over every object of its types its identity may see (the schedule, and the <c>backfill</c>
/// command), a batch at a time, reporting progress after each batch and recording it on the job's grain.</summary>
public sealed class Backfill(IGrainFactory grains, JobIdentity identity, EnrichmentRunner runner, IOptions<EnrichmentOptions> options, TimeProvider time)
{
    public async Task<BackfillProgress> RunAsync(IEnricher job, IProgress<BackfillProgress>? progress, CancellationToken cancellationToken)
    {
        var ids = await new EnrichmentLookups(grains, identity).SearchAsync([.. job.ObjectTypes], null);
        var state = new BackfillProgress(job.Name, ids.Count, 0, 0, 0, time.GetTimestamp(), time);
        progress?.Report(state);
        foreach (var batch in ids.Chunk(options.Value.BatchSize))
        {
            var outcome = await runner.RunAsync(job, batch, cancellationToken);
            identity.Enter();
            await grains.GetGrain<IEnrichmentJobGrain>(job.Name).RecordAsync(
                new EnrichmentProgress(time.GetUtcNow(), outcome.Processed, outcome.Failed, null, null, [], outcome.LastError));
            state = state with { Done = state.Done + batch.Length, Processed = state.Processed + outcome.Processed, Failed = state.Failed + outcome.Failed };
            progress?.Report(state);
        }
        return state;
    }
}
