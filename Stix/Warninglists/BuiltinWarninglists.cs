using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Warninglists;

/// <summary>
/// Warninglists that ship with the service, so that the over-correlation guard is on in a fresh checkout with nothing
/// configured (Correlation:BuiltinWarninglists, default on). Written here from the registries and RFCs they cite —
/// no third-party list is copied: addresses reserved for special purposes (IANA's IPv4 and IPv6 special-purpose
/// registries, RFC 6890), names reserved for documentation and local use (RFC 2606, 6761, 8375), the hashes of the
/// empty file, and the anycast addresses of the large public DNS resolvers (as published by their operators). MISP's
/// own lists (Correlation:WarninglistsPath) add to these.
/// </summary>
public static class BuiltinWarninglists
{
    public static IEnumerable<Warninglist> All() =>
    [
        SpecialIpv4(),
        SpecialIpv6(),
        // The names themselves, as MISP's rfc6761 list: a sub-domain of example.net is what reports use to stand for a
        // real one (the README's sample campaigns meet through update-check.example.net).
        List("builtin-special-domains", "Domain names reserved for documentation, testing and local use (RFC 2606, 6761, 8375)",
            "string", ["domain", "hostname", "url", "uri"],
            "example", "example.com", "example.net", "example.org", "test", "invalid", "localhost", "local", "home.arpa"),
        List("builtin-empty-file-hashes", "Hashes of the empty file", "string", ["md5", "sha1", "sha256", "sha512"],
            "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        List("builtin-public-dns-resolvers", "Anycast addresses of public DNS resolvers (Google, Cloudflare, Quad9, OpenDNS)", "cidr", IpAttributes,
            "8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112", "208.67.222.222", "208.67.220.220",
            "2001:4860:4860::8888", "2001:4860:4860::8844", "2606:4700:4700::1111", "2606:4700:4700::1001", "2620:fe::fe", "2620:fe::9"),
    ];

    /// <summary>Only the special-purpose address ranges (private, loopback, documentation…): addresses no public
    /// registry data describes.</summary>
    public static Warninglists SpecialPurposeAddresses() => new([SpecialIpv4(), SpecialIpv6()]);

    static Warninglist SpecialIpv4() =>
        List("builtin-special-ipv4", "Special-purpose IPv4 ranges (IANA registry, RFC 6890)", "cidr", IpAttributes,
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32");

    static Warninglist SpecialIpv6() =>
        List("builtin-special-ipv6", "Special-purpose IPv6 ranges (IANA registry, RFC 6890)", "cidr", IpAttributes,
            "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fc00::/7",
            "fe80::/10", "ff00::/8");

    static readonly string[] IpAttributes = ["ip-src", "ip-dst", "domain|ip"];

    /// <summary>Built through the MISP list format, so that matching is exactly that of the lists read from disk.</summary>
    static Warninglist List(string key, string name, string type, string[] attributes, params string[] entries) =>
        Warninglist.Parse(key, new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["matching_attributes"] = new JsonArray([.. attributes.Select(a => (JsonNode)a)]),
            ["list"] = new JsonArray([.. entries.Select(e => (JsonNode)e)]),
        }.ToJsonString())!;
}
