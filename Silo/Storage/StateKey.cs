using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// Where a grain's state lives in the grain-state table: its row key (the state name and grain id, escaped for Azure
/// Table), a stable 64-bit hash of that row key, and the partition the hash selects. The hash is SHA-256 (first 8
/// bytes, little-endian): the same in every process and every .NET version, unlike <c>string.GetHashCode</c>, which is
/// randomised per process. Changing any of this moves every row: bump <see cref="StateTableLayout.Version"/>.
/// </summary>
public static class StateKey
{
    /// <summary>Longest row key kept verbatim; longer ones keep a prefix and end with '~' and a hash of the whole.</summary>
    public const int MaxRowKeyChars = 400;

    /// <summary>
    /// <c>{stateName}|{grainId}</c>, escaped: Azure Table row keys may not hold / \ # ? or control characters
    /// (U+0000–U+001F, U+007F–U+009F), and grain ids do hold '/' (<c>node/ipv4-addr--…</c>, edge shards <c>…/3</c>).
    /// Those characters and '%' itself become %XX.
    /// </summary>
    public static string RowKey(string stateName, GrainId grainId)
    {
        var raw = $"{stateName}|{grainId}";
        var escaped = Escape(raw);
        if (escaped.Length <= MaxRowKeyChars)
        {
            return escaped;
        }
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
        return string.Concat(escaped.AsSpan(0, MaxRowKeyChars - 1 - 32), "~", digest.AsSpan(0, 32));
    }

    /// <summary>A stable 64-bit hash of a row key: picks the partition and stands for the row in a partition's key set.</summary>
    public static ulong Hash(string rowKey)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(rowKey);
        SHA256.HashData(bytes, digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    /// <summary>The partition index (0 ≤ index &lt; partitions) of a row key.</summary>
    public static int Partition(string rowKey, int partitions) => (int)(Hash(rowKey) % (ulong)partitions);

    /// <summary>The table partition key of a partition index: <c>p000</c> … <c>p998</c>.</summary>
    public static string PartitionKey(int partition) => "p" + partition.ToString("D3", CultureInfo.InvariantCulture);

    static string Escape(string s)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                sb ??= new StringBuilder(s.Length + 16).Append(s, 0, i);
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb?.Append(c);
            }
        }
        return sb?.ToString() ?? s;
    }
}
