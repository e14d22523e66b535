namespace ThreatGraph.Contracts.Index;

/// <summary>
/// Which partition holds a key (an object id in the search index, an alias id in the alias registry): FNV-1a (64-bit)
/// over the key's UTF-16 code units, modulo the partition count. Stable across processes, machines and .NET versions,
/// unlike <see cref="string.GetHashCode()"/>, which is randomised per process.
/// </summary>
public static class IndexPartitioning
{
    const ulong Offset = 14695981039346656037UL;
    const ulong Prime = 1099511628211UL;

    public static ulong Hash(string key)
    {
        var hash = Offset;
        foreach (var c in key)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return hash;
    }

    public static int PartitionOf(string key, int partitions) =>
        partitions <= 1 ? 0 : (int)(Hash(key) % (ulong)partitions);
}
