namespace ThreatGraph.Stix.Validation;

/// <summary>STIX 2.1 open vocabularies (section 10): values outside them are allowed, so at most a Warning.</summary>
public static class Vocabularies
{
    static HashSet<string> Set(params string[] values) => new(values, StringComparer.Ordinal);

    public static readonly IReadOnlyDictionary<(string Type, string Property), IReadOnlySet<string>> Open =
        new Dictionary<(string, string), IReadOnlySet<string>>
        {
            [("indicator", "pattern_type")] = Set("stix", "pcre", "sigma", "snort", "suricata", "yara"),
            [("indicator", "indicator_types")] = Set("anomalous-activity", "anonymization", "benign", "compromised", "malicious-activity", "attribution", "unknown"),
            [("identity", "identity_class")] = Set("individual", "group", "system", "organization", "class", "unknown"),
            [("malware", "malware_types")] = Set("adware", "backdoor", "bot", "bootkit", "ddos", "downloader", "dropper", "exploit-kit", "keylogger", "ransomware", "remote-access-trojan", "resource-exploitation", "rogue-security-software", "rootkit", "screen-capture", "spyware", "trojan", "unknown", "virus", "webshell", "wiper", "worm"),
            [("tool", "tool_types")] = Set("denial-of-service", "exploitation", "information-gathering", "network-capture", "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown"),
            [("threat-actor", "threat_actor_types")] = Set("activist", "competitor", "crime-syndicate", "criminal", "hacker", "insider-accidental", "insider-disgruntled", "nation-state", "sensationalist", "spy", "terrorist", "unknown"),
            [("report", "report_types")] = Set("attack-pattern", "campaign", "identity", "indicator", "intrusion-set", "malware", "observed-data", "threat-actor", "threat-report", "tool", "vulnerability"),
            [("grouping", "context")] = Set("suspicious-activity", "malware-analysis", "unspecified"),
            [("infrastructure", "infrastructure_types")] = Set("amplification", "anonymization", "botnet", "command-and-control", "control-system", "exfiltration", "firewall", "hosting-malware", "hosting-target-lists", "phishing", "reconnaissance", "routers-switches", "staging", "workstation", "unknown"),
        };

    /// <summary>hash-algorithm-ov: the keys of a hashes dictionary.</summary>
    public static readonly IReadOnlySet<string> HashAlgorithms = Set("MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH");
}
