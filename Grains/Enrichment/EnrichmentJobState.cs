using ThreatGraph.Contracts.Enrichment;

namespace ThreatGraph.Grains.Enrichment;

/// <summary>Persisted state of one enrichment job (see <see cref="EnrichmentJobGrain"/>).</summary>
[GenerateSerializer, Alias("tg.EnrichmentJobState")]
public sealed class EnrichmentJobState
{
    [Id(0)] public EnrichmentJobRegistration? Registration { get; set; }
    [Id(1)] public DateTimeOffset? LastRun { get; set; }
    [Id(2)] public long Processed { get; set; }
    [Id(3)] public long Failed { get; set; }
    [Id(4)] public long FeedLag { get; set; }
    [Id(5)] public EnrichmentCheckpoint Checkpoint { get; set; } = EnrichmentCheckpoint.Start;
    /// <summary>On-demand requests not yet completed, oldest first.</summary>
    [Id(6)] public List<string> Pending { get; set; } = [];
    /// <summary>Derived ids an analyst rejected: the job never writes them again.</summary>
    [Id(7)] public List<string> Rejected { get; set; } = [];
    [Id(8)] public string? LastError { get; set; }
}
