namespace ThreatGraph.Stix;

public enum StixKind
{
    /// <summary>STIX Domain Object, including custom (x-…) and extension-defined object types.</summary>
    Domain,
    /// <summary>STIX Cyber-observable Object.</summary>
    Observable,
    /// <summary>relationship.</summary>
    Relationship,
    /// <summary>sighting.</summary>
    Sighting,
    /// <summary>marking-definition.</summary>
    MarkingDefinition,
    /// <summary>language-content and extension-definition: meta objects.</summary>
    Meta,
}

/// <summary>The one map from STIX type string to kind.</summary>
public static class StixTypes
{
    public static readonly IReadOnlySet<string> DomainObjects = new HashSet<string>(StringComparer.Ordinal)
    {
        "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator",
        "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data",
        "opinion", "report", "threat-actor", "tool", "vulnerability",
    };

    public static readonly IReadOnlySet<string> CyberObservables = new HashSet<string>(StringComparer.Ordinal)
    {
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
        "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    };

    public static StixKind KindOf(string type) => type switch
    {
        "relationship" => StixKind.Relationship,
        "sighting" => StixKind.Sighting,
        "marking-definition" => StixKind.MarkingDefinition,
        "language-content" or "extension-definition" => StixKind.Meta,
        _ when CyberObservables.Contains(type) => StixKind.Observable,
        _ => StixKind.Domain,
    };

    public static bool IsObservable(string type) => CyberObservables.Contains(type);

    /// <summary>The type part of a STIX id (<c>indicator--uuid</c> → <c>indicator</c>), or null when it has no <c>--</c>.</summary>
    public static string? TypeOfId(string id)
    {
        var i = id.IndexOf("--", StringComparison.Ordinal);
        return i > 0 ? id[..i] : null;
    }
}
