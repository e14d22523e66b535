using System.Globalization;

namespace ThreatGraph.Contracts.Taxii;

/// <summary>
/// Which partition of a collection log holds an object's versions, and the grain keys. Every version of one id goes
/// to the same partition (so first/last/all versions are decided within one grain), chosen by FNV-1a (32 bits) over
/// the id's UTF-16 code units: stable across processes and .NET versions, unlike <see cref="string.GetHashCode()"/>.
/// </summary>
public static class TaxiiLogPartitioning
{
    public static int PartitionOf(string id, int partitions)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)partitions);
    }

    /// <summary><c>{collection}/{partitions}/{index}</c>: the count is part of the key, so logs of two layouts never
    /// share a grain.</summary>
    public static string KeyOf(string collectionId, int partitions, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{collectionId}/{partitions}/{index}");

    public static (string Collection, int Partitions, int Index) Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || count < 1 || index >= count)
        {
            throw new ArgumentException($"'{key}' is not a TAXII log partition key ({{collection}}/{{partitions}}/{{index}})", nameof(key));
        }
        return (parts[0], count, index);
    }
}
