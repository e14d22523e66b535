using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Identifiers;

/// <summary>
/// Normal forms of observable values, applied before deterministic SCO ids are computed so that the same thing
/// written two ways lands on one node: domain names lower-case without a trailing dot; IPv4 dotted-decimal and IPv6 in
/// RFC 5952 compressed lower-case form (a CIDR suffix kept, a /32 or /128 dropped); URL scheme and host lower-case
/// (and the host's trailing dot dropped; path, query and fragment untouched); e-mail addresses with a lower-case domain;
/// MAC addresses lower-case with colons; hash values lower-case hex.
/// </summary>
public static class ObservableNormalizer
{
    /// <summary>A copy of the SCO with its id-contributing values in normal form (other properties untouched).</summary>
    public static JsonObject Normalize(JsonObject sco)
    {
        var copy = (JsonObject)sco.DeepClone();
        if (copy["type"] is not JsonValue tv || !tv.TryGetValue(out string? type))
        {
            return copy;
        }
        switch (type)
        {
            case "ipv4-addr" or "ipv6-addr" or "domain-name" or "url" or "email-addr" or "mac-addr":
                if (copy["value"] is JsonValue v && v.TryGetValue(out string? s))
                {
                    copy["value"] = NormalizeValue(type, s);
                }
                break;
            case "file" or "artifact" or "x509-certificate":
                if (copy["hashes"] is JsonObject hashes)
                {
                    foreach (var name in hashes.Select(h => h.Key).ToList())
                    {
                        if (hashes[name] is JsonValue hv && hv.TryGetValue(out string? h))
                        {
                            hashes[name] = h.Trim().ToLowerInvariant();
                        }
                    }
                }
                break;
        }
        return copy;
    }

    /// <summary>The deterministic id of the SCO's normal form: the canonical node. Null when none can be computed.</summary>
    public static string? CanonicalId(JsonObject sco) => ScoId.Compute(Normalize(sco));

    /// <summary>The canonical id of a single-valued observable (<c>ipv4-addr</c> + <c>value</c>, <c>autonomous-system</c> + <c>number</c>…).</summary>
    public static string? CanonicalId(string type, string property, string value)
    {
        JsonNode node = property == "number" && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? JsonValue.Create(n)
            : JsonValue.Create(value);
        return CanonicalId(new JsonObject { ["type"] = type, [property] = node });
    }

    /// <summary>The normal form of one value of the given SCO type (unchanged when it does not parse as that type).</summary>
    public static string NormalizeValue(string type, string value)
    {
        var s = value.Trim();
        return type switch
        {
            "domain-name" => Domain(s),
            "ipv4-addr" => Ip(s, AddressFamily.InterNetwork),
            "ipv6-addr" => Ip(s, AddressFamily.InterNetworkV6),
            "url" => Url(s),
            "email-addr" => Email(s),
            "mac-addr" => s.ToLowerInvariant().Replace('-', ':'),
            _ => value,
        };
    }

    static string Domain(string s)
    {
        var d = s.ToLowerInvariant();
        return d.Length > 1 && d.EndsWith('.') ? d.TrimEnd('.') : d;
    }

    static string Ip(string s, AddressFamily family)
    {
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? s : s[..slash];
        var prefix = slash < 0 ? null : s[(slash + 1)..];
        // IPAddress.TryParse accepts shorthand like "1.2" or octal parts; only strict dotted quads are rewritten.
        if (family == AddressFamily.InterNetwork && address.Split('.') is not { Length: 4 })
        {
            return s;
        }
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != family)
        {
            return s;
        }
        var text = ip.ToString().ToLowerInvariant();
        if (prefix is null)
        {
            return text;
        }
        var full = family == AddressFamily.InterNetwork ? 32 : 128;
        return int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits == full
            ? text
            : text + "/" + prefix;
    }

    static string Url(string s)
    {
        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return s;
        }
        // Rewrite only the scheme and authority in place, so path, query and escapes stay exactly as sent.
        var schemeEnd = s.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return s;
        }
        var authorityStart = schemeEnd + 3;
        var authorityEnd = s.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = s.Length;
        }
        var authority = s[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? "" : authority[..(at + 1)];
        var hostPort = authority[(at + 1)..].ToLowerInvariant();
        var colon = hostPort.StartsWith('[') ? hostPort.IndexOf("]:", StringComparison.Ordinal) + 1 : hostPort.LastIndexOf(':');
        var host = colon > 0 ? hostPort[..colon] : hostPort;
        var port = colon > 0 ? hostPort[colon..] : "";
        if (host.Length > 1 && host.EndsWith('.'))
        {
            host = host.TrimEnd('.');
        }
        return s[..schemeEnd].ToLowerInvariant() + "://" + userInfo + host + port + s[authorityEnd..];
    }

    static string Email(string s)
    {
        var at = s.LastIndexOf('@');
        return at < 0 ? s : s[..at] + "@" + Domain(s[(at + 1)..]);
    }

    /// <summary>The host of a URL value, lower-case, or null.</summary>
    public static string? UrlHost(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) ? Domain(uri.IdnHost) : null;
}
