namespace ThreatGraph.Contracts.Taxii;

/// <summary>The layout of a collection's log (keyed by collection id): how many partitions it was written with.</summary>
/// <param name="Error">Why this silo may not use the log with the partition count it asked for (null: it may).</param>
/// <param name="Migrated">Entries moved from the single log of an earlier build into the partitions by this call.</param>
[GenerateSerializer, Immutable, Alias("tg.TaxiiLogLayout")]
public sealed record TaxiiLogLayout(
    [property: Id(0)] int Partitions,
    [property: Id(1)] string? Error,
    [property: Id(2)] long Migrated);

/// <summary>
/// A TAXII collection's log as a whole (keyed by collection id). The entries live in partitions
/// (<see cref="ITaxiiLogPartitionGrain"/>); this grain records how many there are, so that a silo configured with
/// another count is refused at start-up instead of reading and writing the wrong partitions, and it holds the single
/// log of builds before partitioning, which the first start-up moves into the partitions.
/// </summary>
[Alias("tg.ITaxiiCollectionLogGrain")]
public interface ITaxiiCollectionLogGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="partitions"/> as the layout when none is recorded (moving a pre-partitioning
    /// log into the partitions first); otherwise answers whether it is the recorded one.</summary>
    [Alias("EnsureLayout")]
    Task<TaxiiLogLayout> EnsureLayoutAsync(int partitions);
}
