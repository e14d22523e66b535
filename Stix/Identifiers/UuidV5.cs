using System.Security.Cryptography;
using System.Text;

namespace ThreatGraph.Stix.Identifiers;

/// <summary>RFC 4122 name-based UUID, version 5 (SHA-1).</summary>
public static class UuidV5
{
    public static Guid Create(Guid @namespace, string name)
    {
        Span<byte> ns = stackalloc byte[16];
        if (!@namespace.TryWriteBytes(ns, bigEndian: true, out _))
        {
            throw new InvalidOperationException("could not write the namespace UUID");
        }
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        ns.CopyTo(input);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 prescribes for UUIDv5; it is an identifier, not a security control.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The version nibble of a UUID (4 for random, 5 for name-based SHA-1).</summary>
    public static int VersionOf(Guid g)
    {
        Span<byte> b = stackalloc byte[16];
        g.TryWriteBytes(b, bigEndian: true, out _);
        return b[6] >> 4;
    }

    /// <summary>True when the variant bits are the RFC 4122 ones (10xx).</summary>
    public static bool IsRfc4122Variant(Guid g)
    {
        Span<byte> b = stackalloc byte[16];
        g.TryWriteBytes(b, bigEndian: true, out _);
        return (b[8] & 0xC0) == 0x80;
    }
}
