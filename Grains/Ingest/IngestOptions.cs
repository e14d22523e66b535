namespace ThreatGraph.Grains.Ingest;

/// <summary>Ingest tunables (configuration section "Ingest").</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Grain calls in flight per ingest request: enough to keep 2 cores busy, few enough not to flood queues.</summary>
    public int MaxParallelism { get; set; } = 64;
}
