namespace ThreatGraph.Enrichment;

/// <summary>
/// One enrichment job. The host feeds it the objects of <see cref="ObjectTypes"/> its caller may see, writes what it
/// returns as the job's identity (<c>created_by_ref</c>, provenance), and gives every derived object at least the
/// markings and recipients of its input, so an enrichment of a RED object is RED. A job only derives; it never writes.
/// </summary>
public interface IEnricher
{
    /// <summary>Unique job name (lower-case, dashes), e.g. <c>attack-resolver</c>: the key of its checkpoint and its
    /// row in GraphQL <c>enrichmentJobs</c>.</summary>
    string Name { get; }

    /// <summary>The STIX types it wants, e.g. <c>ipv4-addr</c>.</summary>
    IReadOnlyCollection<string> ObjectTypes { get; }

    /// <summary>What this job derives from one object. Deterministic: the same input gives the same objects with the
    /// same ids (<see cref="EnrichmentIds"/>), so running twice adds nothing. Throwing fails this object only.</summary>
    ValueTask<EnrichmentResult> EnrichAsync(EnrichmentInput input, IEnrichmentContext context, CancellationToken cancellationToken);
}
