using System.Net;

namespace ThreatGraph.Stix.Warninglists;

/// <summary>An address as the lists compare it: its bytes (masked to <see cref="Bits"/> when a range was given) and its
/// canonical text.</summary>
public sealed record Address(byte[] Bytes, int Bits, string Text)
{
    public static Address? Parse(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? value : value[..slash], out var ip))
        {
            return null;
        }
        var bytes = ip.GetAddressBytes();
        var bits = bytes.Length * 8;
        if (slash >= 0 && (!int.TryParse(value[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out bits) || bits < 0 || bits > bytes.Length * 8))
        {
            return null;
        }
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= (byte)(0xFF << (8 - Math.Clamp(bits - (i * 8), 0, 8)));
        }
        return new Address(bytes, bits, new IPAddress(bytes).ToString());
    }
}
