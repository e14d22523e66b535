using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Enrichment;

/// <summary>The names of every registered enrichment job (one grain, key <see cref="EnrichmentJobs.RegistryKey"/>):
/// what <c>enrichmentJobs</c> lists. Written once per job and host start, read by the gateway.</summary>
[Alias("tg.IEnrichmentJobRegistryGrain")]
public interface IEnrichmentJobRegistryGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(string name);

    [ReadOnly, Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}
