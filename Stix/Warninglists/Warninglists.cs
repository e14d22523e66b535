using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Stix.Warninglists;

/// <summary>
/// MISP warninglists (known-benign values: public resolvers, top sites, private and reserved ranges, empty-file hashes…)
/// matched against observables. Matching follows MISP: <c>cidr</c> lists by address range (a bare address is a /32 or
/// /128), <c>hostname</c> lists by the name or any parent domain, <c>string</c> lists exactly (case-insensitive). Which
/// observables a list applies to comes from its <c>matching_attributes</c> (ip-* → ipv4/ipv6-addr; domain/hostname →
/// domain-name; url/uri → the host of a url; md5/sha* → file, artifact and certificate hashes). Pure matching: the
/// correlation guard (Grains) and the warninglist enricher share it; where lists come from is their caller's business.
/// </summary>
public sealed class Warninglists(IEnumerable<Warninglist> lists)
{
    readonly List<Warninglist> _lists = [.. lists];

    public IReadOnlyList<Warninglist> Lists => _lists;

    public static Warninglists Empty { get; } = new([]);

    /// <summary>Why the observable is known-benign (its first match), or null. <paramref name="sco"/> is in normal form.</summary>
    public string? Match(JsonObject sco) => Matches(sco).FirstOrDefault()?.Reason;

    /// <summary>Every list the observable is on, in list order per matched value. <paramref name="sco"/> is in normal
    /// form. Lazy, so <see cref="Match"/> stops at the first.</summary>
    public IEnumerable<WarninglistMatch> Matches(JsonObject sco)
    {
        if (_lists.Count == 0 || sco["type"] is not JsonValue tv || !tv.TryGetValue(out string? type))
        {
            yield break;
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
                    yield return new WarninglistMatch(list, entry);
                }
            }
        }
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
