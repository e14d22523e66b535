using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ThreatGraph.Contracts.Taxii;

/// <summary>The TAXII collections of a deployment (README "TAXII 2.1": one shared collection holds everything).</summary>
public static class TaxiiCollections
{
    /// <summary>The collection that holds every object version ingested, by any path.</summary>
    public const string DefaultId = "9f5c1c43-5d3e-4b8e-9a4f-7b1d2c0e6a51";

    /// <summary>First 8 bytes of SHA-256 of the JSON as stored: identifies a version among a node's versions.</summary>
    public static long ContentHash(string json)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(json), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}
