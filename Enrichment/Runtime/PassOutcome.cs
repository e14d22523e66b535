namespace ThreatGraph.Enrichment.Runtime;

/// <summary>What one pass of a job over a set of objects did.</summary>
/// <param name="LastError">The last failure (object id and reason), for <c>enrichmentJobs</c>.</param>
public sealed record PassOutcome(long Processed, long Failed, string? LastError);
