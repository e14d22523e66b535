namespace ThreatGraph.Enrichment.Runtime;

/// <summary>How far a backfill is: objects listed for it, looked at, enriched and failed (an object it may list but no
/// longer read, e.g. revoked meanwhile, is looked at without either).</summary>
public sealed record BackfillProgress(string Job, int Total, int Done, long Processed, long Failed, long StartedAt, TimeProvider Time)
{
    public TimeSpan Elapsed => Time.GetElapsedTime(StartedAt);

    /// <summary>Objects looked at per second so far.</summary>
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
}
