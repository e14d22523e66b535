using ThreatGraph.Stix;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Ingest;

/// <summary>Ingest tunables (configuration section "Ingest"; the gateway validates the limits at start-up, see
/// <c>GraphApi/Ingest/IngestQuotaOptions</c>, which reads the same keys).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Grain calls in flight per ingest request: enough to keep 2 cores busy, few enough not to flood queues.</summary>
    public int MaxParallelism { get; set; } = 64;

    /// <summary>Largest object, in bytes of UTF-8 JSON; a larger entry is rejected with its path and the limit.</summary>
    public int MaxObjectBytes { get; set; } = StixLimits.DefaultMaxObjectBytes;

    /// <summary>Most entries in one call of the ingest grain; a larger call is rejected whole (every entry, nothing
    /// written). Calls stay short (README "Short turns"): the gateway sends a bundle in calls of
    /// <c>Ingest:ObjectsPerCall</c>; a job calling the grain directly splits with <see cref="DependencyOrder.Chunks"/>.</summary>
    public int MaxObjectsPerCall { get; set; } = StixLimits.DefaultMaxObjectsPerCall;
}
