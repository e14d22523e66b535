namespace ThreatGraph.Enrichment.Runtime;

/// <summary>The context one object's enrichment gets: the job's identity, the object's own version time as
/// <see cref="Now"/> (so a rerun stamps the same created/modified and writes nothing new), and the pass's lookups.</summary>
public sealed class HostEnrichmentContext(string identityId, DateTimeOffset now, EnrichmentLookups lookups) : IEnrichmentContext
{
    public string IdentityId => identityId;
    public DateTimeOffset Now => now;

    public async ValueTask<IReadOnlyList<EnrichmentInput>> FindByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        await lookups.FindByExternalIdAsync(externalId).WaitAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<EnrichmentInput>> FindByAliasKeyAsync(string aliasKey, IReadOnlyCollection<string> types, CancellationToken cancellationToken) =>
        await lookups.FindByAliasKeyAsync(aliasKey, types).WaitAsync(cancellationToken);
}
