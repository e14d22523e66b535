using ThreatGraph.Contracts.Enrichment;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>One read of the change feed: the ids to enrich, where the feed stands after them, and what remains.</summary>
public sealed record FeedBatch(IReadOnlyList<string> Ids, EnrichmentCheckpoint Next, long Lag);
