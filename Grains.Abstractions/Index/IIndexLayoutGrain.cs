namespace ThreatGraph.Grains.Index;

/// <summary>
/// The partition count the stored search index and alias registry were written with (one grain, key
/// <see cref="Key"/>; asked once per silo start, never on a read or write path).
/// </summary>
[Alias("tg.IIndexLayoutGrain")]
public interface IIndexLayoutGrain : IGrainWithStringKey
{
    public const string Key = "index";

    /// <summary>Records <paramref name="partitions"/> if no count is recorded yet; returns the recorded count.</summary>
    [Alias("Claim")]
    Task<int> ClaimAsync(int partitions);
}
