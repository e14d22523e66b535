namespace ThreatGraph.Contracts.Index;

/// <summary>
/// How the stored search index and alias registry are laid out (one grain, key <see cref="Key"/>; asked once per silo
/// start, never on a read or write path).
/// </summary>
[Alias("tg.IIndexLayoutGrain")]
public interface IIndexLayoutGrain : IGrainWithStringKey
{
    public const string Key = "index";

    /// <summary>Records <paramref name="partitions"/> if no count is recorded yet; returns the layout as stored.</summary>
    [Alias("Claim")]
    Task<IndexLayout> ClaimAsync(int partitions);

    /// <summary>Records that the index stored before partitioning (if any) has been moved into the partitions.</summary>
    [Alias("MarkLegacyMigrated")]
    Task MarkLegacyMigratedAsync();
}

/// <param name="Partitions">The partition count the stored data was written with.</param>
/// <param name="LegacyMigrated">Whether the per-type indexes of before were moved into the partitions.</param>
[GenerateSerializer, Immutable, Alias("tg.IndexLayout")]
public sealed record IndexLayout([property: Id(0)] int Partitions, [property: Id(1)] bool LegacyMigrated);
