using System.Net;
using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Warninglists;

/// <summary>One MISP warninglist.</summary>
public sealed class Warninglist
{
    readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    readonly List<(byte[] Network, int Bits)> _ranges = [];
    readonly HashSet<MatchTarget> _targets = [];

    public required string Key { get; init; }
    public required string Name { get; init; }
    public required string ListType { get; init; }
    public int Count { get; private set; }

    public bool Applies(MatchTarget target) => _targets.Contains(target);

    public static Warninglist? Parse(string key, string json)
    {
        var root = JsonNode.Parse(json) as JsonObject;
        if (root?["list"] is not JsonArray entries)
        {
            return null;
        }
        var list = new Warninglist
        {
            Key = key,
            Name = root["name"]?.GetValue<string>() ?? key,
            ListType = root["type"]?.GetValue<string>() ?? "string",
        };
        foreach (var attr in (root["matching_attributes"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? ""))
        {
            if (attr.StartsWith("ip-", StringComparison.Ordinal) || attr == "domain|ip")
            {
                list._targets.Add(MatchTarget.Ip);
            }
            if (attr is "domain" or "hostname" or "domain|ip")
            {
                list._targets.Add(MatchTarget.Domain);
            }
            if (attr is "url" or "uri")
            {
                list._targets.Add(MatchTarget.UrlHost);
            }
            if (attr.StartsWith("md5", StringComparison.Ordinal) || attr.StartsWith("sha", StringComparison.Ordinal)
                || attr.StartsWith("filename|", StringComparison.Ordinal))
            {
                list._targets.Add(MatchTarget.Hash);
            }
        }
        if (list.ListType == "cidr")
        {
            list._targets.RemoveWhere(t => t != MatchTarget.Ip);
        }
        foreach (var e in entries.Select(x => x?.GetValue<string>()?.Trim()).OfType<string>().Where(x => x.Length > 0))
        {
            if (list.ListType == "cidr" && ParseRange(e) is { } range)
            {
                if (range.Bits == range.Network.Length * 8)
                {
                    list._exact.Add(new IPAddress(range.Network).ToString());
                }
                else
                {
                    list._ranges.Add(range);
                }
            }
            else
            {
                list._exact.Add(e.TrimEnd('.'));
            }
            list.Count++;
        }
        return list._targets.Count > 0 ? list : null;
    }

    /// <summary>The entry that matches, or null. <paramref name="ip"/>: the value parsed, for an address.</summary>
    public string? Matches(MatchTarget target, string value, Address? ip = null)
    {
        if (target == MatchTarget.Ip)
        {
            if ((ip ?? Address.Parse(value)) is not { } address)
            {
                return null;
            }
            if (_exact.Contains(address.Text))
            {
                return address.Text;
            }
            foreach (var (net, bits) in _ranges)
            {
                if (net.Length == address.Bytes.Length && address.Bits >= bits && SamePrefix(net, address.Bytes, bits))
                {
                    return $"{new IPAddress(net)}/{bits}";
                }
            }
            return null;
        }
        var v = value.TrimEnd('.');
        if (_exact.Contains(v))
        {
            return v;
        }
        if (ListType == "hostname" && target is MatchTarget.Domain or MatchTarget.UrlHost)
        {
            // hostname lists cover sub-domains: a.b.example.com matches example.com.
            for (var dot = v.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = v.IndexOf('.', dot + 1))
            {
                var parent = v[(dot + 1)..];
                if (parent.Contains('.', StringComparison.Ordinal) && _exact.Contains(parent))
                {
                    return parent;
                }
            }
        }
        return null;
    }

    static (byte[] Network, int Bits)? ParseRange(string s)
    {
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? s : s[..slash];
        if (!IPAddress.TryParse(address, out var ip))
        {
            return null;
        }
        var bytes = ip.GetAddressBytes();
        var full = bytes.Length * 8;
        var bits = full;
        if (slash >= 0 && (!int.TryParse(s[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out bits) || bits < 0 || bits > full))
        {
            return null;
        }
        return (Mask(bytes, bits), bits);
    }

    static byte[] Mask(byte[] bytes, int bits)
    {
        var masked = (byte[])bytes.Clone();
        for (var i = 0; i < masked.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            masked[i] &= (byte)(0xFF << (8 - keep));
        }
        return masked;
    }

    /// <summary>Whether <paramref name="address"/> is in <paramref name="network"/>/<paramref name="bits"/> (no allocation).</summary>
    static bool SamePrefix(byte[] network, byte[] address, int bits)
    {
        for (var i = 0; i < network.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            var mask = (byte)(0xFF << (8 - keep));
            if ((address[i] & mask) != network[i])
            {
                return false;
            }
        }
        return true;
    }
}
