using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Enrichment.Hosting;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>
/// One pass of each trigger of a job: its on-demand requests (GraphQL <c>enrich</c>), then a batch of the change feed
/// after its checkpoint. Each pass ends with one write to the job's grain that adds the counts, moves the checkpoint and
/// clears the completed requests together, so a pass is either recorded whole or read again.
/// </summary>
public sealed class EnrichmentPasses(IGrainFactory grains, JobIdentity identity, EnrichmentRunner runner, ChangeFeed feed,
    IOptions<EnrichmentOptions> options, TimeProvider time)
{
    readonly int _batch = options.Value.BatchSize;

    /// <summary>Registers the job with the cluster as this identity (refused there without the enrichment role).</summary>
    public async Task RegisterAsync(IEnricher job)
    {
        identity.Enter();
        await grains.GetGrain<IEnrichmentJobGrain>(job.Name).RegisterAsync(
            new EnrichmentJobRegistration(job.Name, [.. job.ObjectTypes], identity.Caller.Org, identity.Caller.Member));
    }

    /// <returns>Whether there was anything to do (the caller polls again at once when there was).</returns>
    public async Task<bool> RunOnceAsync(IEnricher job, CancellationToken cancellationToken)
    {
        identity.Enter();
        var grain = grains.GetGrain<IEnrichmentJobGrain>(job.Name);
        var requested = await grain.PendingRequestsAsync(_batch);
        if (requested.Count > 0)
        {
            var outcome = await runner.RunAsync(job, requested, cancellationToken);
            identity.Enter();
            await grain.RecordAsync(new EnrichmentProgress(time.GetUtcNow(), outcome.Processed, outcome.Failed, null, null, requested, outcome.LastError));
        }
        var checkpoint = await grain.GetCheckpointAsync();
        var batch = await feed.ReadAsync(checkpoint, [.. job.ObjectTypes], _batch);
        var changed = batch.Next.AfterSeq.Where((seq, p) => seq != checkpoint.Of(p)).Any();
        if (batch.Ids.Count > 0 || changed || requested.Count > 0)
        {
            var outcome = batch.Ids.Count > 0 ? await runner.RunAsync(job, batch.Ids, cancellationToken) : new PassOutcome(0, 0, null);
            identity.Enter();
            await grain.RecordAsync(new EnrichmentProgress(time.GetUtcNow(), outcome.Processed, outcome.Failed, batch.Next, batch.Lag, [], outcome.LastError));
        }
        return batch.Ids.Count > 0 || requested.Count > 0;
    }
}
