using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// MISP warninglists (known-benign values: public resolvers, top sites, private and reserved ranges, empty-file hashes…)
/// matched against observables. Matching follows MISP: <c>cidr</c> lists by address range (a bare address is a /32 or
/// /128), <c>hostname</c> lists by the name or any parent domain, <c>string</c> lists exactly (case-insensitive). Which
/// observables a list applies to comes from its <c>matching_attributes</c> (ip-* → ipv4/ipv6-addr; domain/hostname →
/// domain-name; url/uri → the host of a url; md5/sha* → file, artifact and certificate hashes).
/// </summary>
public sealed class Warninglists
{
    readonly List<Warninglist> _lists = [];

    public IReadOnlyList<Warninglist> Lists => _lists;

    public static Warninglists Empty { get; } = new();

    /// <summary>The built-in lists (<see cref="BuiltinWarninglists"/>, unless turned off) and every <c>*/list.json</c>
    /// under the MISP folder, logging which lists loaded (and loudly when none).</summary>
    public static Warninglists Load(string? configuredPath, bool builtin, ILogger logger)
    {
        var result = new Warninglists();
        if (builtin)
        {
            result._lists.AddRange(BuiltinWarninglists.All());
        }
        if (string.IsNullOrWhiteSpace(configuredPath))
        {
            if (result._lists.Count == 0)
            {
                logger.LogWarning("Correlation:BuiltinWarninglists is off and Correlation:WarninglistsPath is empty: NO warninglists loaded; only the degree cap guards against over-correlation");
            }
            else
            {
                logger.LogInformation("Correlation guard: {Count} built-in warninglists ({Lists}); set Correlation:WarninglistsPath to add MISP's",
                    result._lists.Count, string.Join(", ", result._lists.Select(l => $"{l.Key} ({l.Count})")));
            }
            return result;
        }
        var folder = Locate(configuredPath);
        if (folder is null)
        {
            logger.LogWarning("MISP warninglists folder '{Path}' NOT FOUND (Correlation:WarninglistsPath): only the {Count} built-in lists exclude known-benign values from correlation",
                configuredPath, result._lists.Count);
            return result;
        }
        foreach (var file in Directory.GetFiles(folder, "list.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                if (Warninglist.Parse(Path.GetFileName(Path.GetDirectoryName(file)!), File.ReadAllText(file)) is { } list)
                {
                    result._lists.Add(list);
                }
            }
            catch (JsonException e)
            {
                logger.LogWarning("warninglist {File} is not valid JSON and was skipped: {Message}", file, e.Message);
            }
        }
        logger.LogWarning("Correlation guard: {Count} warninglists, MISP's from {Folder}: {Lists}", result._lists.Count, folder,
            string.Join(", ", result._lists.Select(l => $"{l.Key} ({l.Count})")));
        return result;
    }

    public static string? Locate(string configuredPath)
    {
        if (Path.IsPathRooted(configuredPath))
        {
            return Directory.Exists(configuredPath) ? configuredPath : null;
        }
        var fromCwd = Path.GetFullPath(configuredPath);
        if (Directory.Exists(fromCwd))
        {
            return fromCwd;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, configuredPath));
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Why the observable is known-benign, or null. <paramref name="sco"/> is in normal form.</summary>
    public string? Match(JsonObject sco)
    {
        if (_lists.Count == 0 || sco["type"] is not JsonValue tv || !tv.TryGetValue(out string? type))
        {
            return null;
        }
        foreach (var (target, value) in Candidates(type, sco))
        {
            // An address is parsed once for every list (it used to be parsed again by each list and each range).
            var ip = target == MatchTarget.Ip ? Address.Parse(value) : null;
            if (target == MatchTarget.Ip && ip is null)
            {
                continue;
            }
            foreach (var list in _lists)
            {
                if (list.Applies(target) && list.Matches(target, value, ip) is { } entry)
                {
                    return $"warninglist {list.Key} ({list.Name}): {entry}";
                }
            }
        }
        return null;
    }

    static IEnumerable<(MatchTarget, string)> Candidates(string type, JsonObject sco)
    {
        string? Str(string p) => sco[p] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        switch (type)
        {
            case "ipv4-addr" or "ipv6-addr" when Str("value") is { } ip:
                yield return (MatchTarget.Ip, ip);
                break;
            case "domain-name" when Str("value") is { } d:
                yield return (MatchTarget.Domain, d);
                break;
            case "url" when Str("value") is { } u && ObservableNormalizer.UrlHost(u) is { } host:
                yield return (MatchTarget.UrlHost, host);
                break;
            case "file" or "artifact" or "x509-certificate" when sco["hashes"] is JsonObject hashes:
                foreach (var (_, h) in hashes)
                {
                    if (h is JsonValue hv && hv.TryGetValue(out string? hash))
                    {
                        yield return (MatchTarget.Hash, hash.ToLowerInvariant());
                    }
                }
                break;
        }
    }
}

public enum MatchTarget { Ip, Domain, UrlHost, Hash }

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
