using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// The grain-state table of one service (azure mode) and what its partition grains share: the table, the container
/// for states too large for a row, the partition count and the request statistics. One per silo (DI singleton).
/// </summary>
public sealed class StateTable(TableClient table, BlobContainerClient largeStates, int partitions, StorageStatistics statistics)
{
    /// <summary>Largest state kept inline in its row (15 × 64 KiB is the most a row holds; this leaves a margin under
    /// the 1 MiB entity cap and lets three such rows share one 4 MiB transaction). Larger states go to a blob.</summary>
    public const int DefaultInlineLimitBytes = 900_000;

    public TableClient Table { get; } = table;
    public BlobContainerClient LargeStates { get; } = largeStates;
    public int Partitions { get; } = partitions;
    public StorageStatistics Statistics { get; } = statistics;
    public int InlineLimitBytes { get; init; } = DefaultInlineLimitBytes;
}
