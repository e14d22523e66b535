using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Identifiers;

/// <summary>
/// Deterministic identifiers of STIX Cyber-observable Objects (STIX 2.1 section 2.9): the UUID is a UUIDv5 in the
/// namespace <c>00abedb4-aa42-466c-9c01-fed23315a9b7</c> over the RFC 8785 canonical JSON of the object's
/// ID Contributing Properties (the per-type lists of section 6). When <c>hashes</c> contributes, only one hash is
/// used, chosen in the order MD5, SHA-1, SHA-256, SHA-512 (else the first one present), as the OASIS libraries do.
/// </summary>
public static class ScoId
{
    public static readonly Guid Namespace = new("00abedb4-aa42-466c-9c01-fed23315a9b7");

    static readonly string[] HashPreference = ["MD5", "SHA-1", "SHA-256", "SHA-512"];

    static readonly Dictionary<string, string[]> Contributing = new(StringComparer.Ordinal)
    {
        ["artifact"] = ["hashes", "payload_bin"],
        ["autonomous-system"] = ["number"],
        ["directory"] = ["path"],
        ["domain-name"] = ["value"],
        ["email-addr"] = ["value"],
        ["email-message"] = ["from_ref", "subject", "body"],
        ["file"] = ["hashes", "name", "extensions", "parent_directory_ref"],
        ["ipv4-addr"] = ["value"],
        ["ipv6-addr"] = ["value"],
        ["mac-addr"] = ["value"],
        ["mutex"] = ["name"],
        ["network-traffic"] = ["start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"],
        ["process"] = [],
        ["software"] = ["name", "cpe", "swid", "vendor", "version"],
        ["url"] = ["value"],
        ["user-account"] = ["account_type", "user_id", "account_login"],
        ["windows-registry-key"] = ["key", "values"],
        ["x509-certificate"] = ["hashes", "serial_number"],
    };

    /// <summary>The ID Contributing Properties of a STIX 2.1 SCO type; empty for process (always UUIDv4) and for
    /// types the specification does not define.</summary>
    public static IReadOnlyList<string> IdContributingProperties(string type) =>
        Contributing.TryGetValue(type, out var props) ? props : [];

    /// <summary>The deterministic id (UUIDv5 in the STIX namespace over the id-contributing properties), or null when
    /// the object has none of its type's id-contributing properties (then STIX says use a UUIDv4).</summary>
    public static string? Compute(JsonObject sco)
    {
        if (sco["type"] is not JsonValue tv || !tv.TryGetValue(out string? type))
        {
            return null;
        }
        var contributing = new JsonObject();
        foreach (var property in IdContributingProperties(type))
        {
            if (sco[property] is not { } value)
            {
                continue;
            }
            contributing[property] = property == "hashes" && value is JsonObject hashes
                ? ChooseOneHash(hashes)
                : value.DeepClone();
        }
        if (contributing.Count == 0)
        {
            return null;
        }
        return type + "--" + UuidV5.Create(Namespace, JsonCanonicalizer.Canonicalize(contributing)).ToString("D");
    }

    /// <summary>True when the object's id is the one <see cref="Compute"/> gives (false when none can be computed).</summary>
    public static bool IsDeterministic(JsonObject sco) =>
        Compute(sco) is { } computed && sco["id"] is JsonValue v && v.TryGetValue(out string? id)
        && string.Equals(id, computed, StringComparison.OrdinalIgnoreCase);

    static JsonObject ChooseOneHash(JsonObject hashes)
    {
        foreach (var name in HashPreference)
        {
            if (hashes[name] is { } h)
            {
                return new JsonObject { [name] = h.DeepClone() };
            }
        }
        foreach (var (name, h) in hashes)
        {
            return new JsonObject { [name] = h?.DeepClone() };
        }
        return [];
    }
}
