namespace ThreatGraph.Contracts.Taxii;

/// <summary>How the TAXII collection log is laid out (configuration section "Taxii", beside the gateway's
/// <c>TaxiiOptions</c>). Read by ingest (which partition an object's versions go to) and by the TAXII reader (which
/// partitions to merge), so every silo must agree: the silo refuses to start when the count differs from the one the
/// log was written with (see <see cref="ITaxiiCollectionLogGrain.EnsureLayoutAsync"/>).</summary>
public sealed class TaxiiLogOptions
{
    public const string Section = "Taxii";
    public const string PartitionsKey = Section + ":" + nameof(LogPartitions);
    public const int MaxLogPartitions = 64;

    /// <summary>Partitions of each collection log (by a stable hash of the object id): appends to different partitions
    /// run in parallel, on any silo; a reader merges them all (README "TAXII 2.1").</summary>
    public int LogPartitions { get; set; } = 8;

    /// <summary>What is wrong with these settings (empty: nothing).</summary>
    public IEnumerable<string> Validate()
    {
        if (LogPartitions is < 1 or > MaxLogPartitions)
        {
            yield return $"{PartitionsKey} must be between 1 and {MaxLogPartitions}, not {LogPartitions}";
        }
    }
}
