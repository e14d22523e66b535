namespace ThreatGraph.Enrichment.Runtime;

/// <summary>An object the job's identity may see, and the time its current version was made.</summary>
public sealed record VisibleObject(EnrichmentInput Input, DateTimeOffset Stamp);
