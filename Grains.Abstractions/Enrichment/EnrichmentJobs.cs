namespace ThreatGraph.Contracts.Enrichment;

/// <summary>What every part of enrichment agrees on: the role a job's identity must hold and the property that marks what
/// a job derived.</summary>
public static class EnrichmentJobs
{
    /// <summary>The role an organisation member needs to write as an enrichment job.</summary>
    public const string Role = Security.CallerIdentity.EnrichmentRole;

    /// <summary>Stamped on every object a job derives (the job's name): tells an analyst, and the reject mutation, that a
    /// job and not a person asserted it.</summary>
    public const string JobProperty = "x_threatgraph_enrichment_job";

    /// <summary>The key of the registry grain that lists every job a host registered.</summary>
    public const string RegistryKey = "jobs";

    /// <summary>Job names: lower-case letters, digits and dashes, 1-64 characters (they are grain keys and metric tags).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
