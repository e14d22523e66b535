namespace ThreatGraph.Contracts.Index;

/// <summary>Search index and alias registry layout (configuration section "Index"). The partition count is fixed for
/// the life of the stored data: a silo started with another value than the one the data was written with refuses to
/// start (see <c>Grains/Hosting/IndexLayoutCheck.cs</c>).</summary>
public sealed class IndexOptions
{
    public const string Section = "Index";
    public const int DefaultPartitions = 16;
    public const int MaxPartitions = 4096;

    /// <summary>Hash partitions of the search index and of the observable alias registry. 16 suits a 2-core silo (a
    /// search costs one call per partition; an ingest rank one call per touched partition); raise it with the silo count.</summary>
    public int Partitions { get; set; } = DefaultPartitions;

    public static string PartitionsKey => $"{Section}:{nameof(Partitions)}";

    public IEnumerable<string> Validate()
    {
        if (Partitions is < 1 or > MaxPartitions)
        {
            yield return $"{PartitionsKey} must be between 1 and {MaxPartitions}, got {Partitions}";
        }
    }
}
