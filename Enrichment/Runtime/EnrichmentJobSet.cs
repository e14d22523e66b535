using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Enrichment.Hosting;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>The registered jobs (every <see cref="IEnricher"/> in the container) and those this host runs
/// (<see cref="EnrichmentOptions.Jobs"/>); names are checked once, at start.</summary>
public sealed class EnrichmentJobSet
{
    public EnrichmentJobSet(IEnumerable<IEnricher> enrichers, IOptions<EnrichmentOptions> options)
    {
        All = [.. enrichers];
        foreach (var job in All)
        {
            if (!EnrichmentJobs.IsValidName(job.Name))
            {
                throw new InvalidOperationException($"'{job.Name}' ({job.GetType().Name}) is not a job name: lower-case letters, digits and dashes");
            }
        }
        if (All.GroupBy(j => j.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"two jobs are named '{twice.Key}'");
        }
        var wanted = options.Value.Jobs;
        if (wanted.FirstOrDefault(n => All.All(j => j.Name != n)) is { } unknown)
        {
            throw new InvalidOperationException($"{EnrichmentOptions.Section}:{nameof(EnrichmentOptions.Jobs)} names '{unknown}', which is not registered (registered: {string.Join(", ", All.Select(j => j.Name))})");
        }
        Active = wanted.Count == 0 ? All : [.. All.Where(j => wanted.Contains(j.Name))];
    }

    public IReadOnlyList<IEnricher> All { get; }
    public IReadOnlyList<IEnricher> Active { get; }

    public IEnricher Find(string name) => All.FirstOrDefault(j => j.Name == name)
        ?? throw new InvalidOperationException($"no job named '{name}' is registered (registered: {string.Join(", ", All.Select(j => j.Name))})");
}
