using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Validation;

/// <summary>
/// Embedded references (section 3.1 "identifier", and each property's "MUST be the identifier of …"): every
/// <c>*_ref</c>/<c>*_refs</c> value at the top level (and <c>granular_markings[].marking_ref</c>) is a valid id, and
/// points at an allowed type where the specification restricts it.
/// </summary>
internal static class ReferenceRules
{
    /// <summary>A restriction: a description for the message and a test on the target type.</summary>
    sealed record Target(string Description, Func<string, bool> Allows);

    static Target OneOf(params string[] types) =>
        new(string.Join(" or ", types), t => types.Contains(t, StringComparer.Ordinal));

    static readonly string[] NeverRelated = ["relationship", "sighting", "bundle", "language-content", "marking-definition", "extension-definition"];

    static readonly Target Identity = OneOf("identity");
    static readonly Target Marking = OneOf("marking-definition");
    static readonly Target Software = OneOf("software");
    static readonly Target EmailAddr = OneOf("email-addr");
    static readonly Target UserAccount = OneOf("user-account");

    static readonly Target RelationshipEndpoint = new("an SDO or SCO (not " + string.Join(", ", NeverRelated) + ")",
        t => !NeverRelated.Contains(t, StringComparer.Ordinal));

    static readonly Target Sdo = new("an SDO",
        t => !StixTypes.IsObservable(t) && !NeverRelated.Contains(t, StringComparer.Ordinal));

    /// <summary>An SCO: a STIX 2.1 SCO type or a type STIX does not define (custom or extension-defined SCOs).</summary>
    static readonly Target Sco = new("an SCO",
        t => StixTypes.IsObservable(t) || !SpecProperties.IsSpecType(t));

    static readonly Target ScoOrSro = new("an SCO or an SRO",
        t => StixTypes.IsObservable(t) || t == "relationship" || !SpecProperties.IsSpecType(t));

    /// <summary>(owner type, property) → allowed targets; owner "*" applies to every type.</summary>
    static readonly Dictionary<(string Owner, string Property), Target> Targets = new()
    {
        [("*", "created_by_ref")] = Identity,
        [("*", "object_marking_refs")] = Marking,
        [("relationship", "source_ref")] = RelationshipEndpoint,
        [("relationship", "target_ref")] = RelationshipEndpoint,
        [("sighting", "sighting_of_ref")] = Sdo,
        [("sighting", "where_sighted_refs")] = OneOf("identity", "location"),
        [("sighting", "observed_data_refs")] = OneOf("observed-data"),
        [("observed-data", "object_refs")] = ScoOrSro,
        [("malware", "sample_refs")] = OneOf("file", "artifact"),
        [("malware", "operating_system_refs")] = Software,
        [("malware-analysis", "host_vm_ref")] = Software,
        [("malware-analysis", "operating_system_ref")] = Software,
        [("malware-analysis", "installed_software_refs")] = Software,
        [("malware-analysis", "sample_ref")] = OneOf("file", "network-traffic", "artifact"),
        [("malware-analysis", "analysis_sco_refs")] = Sco,
        [("directory", "contains_refs")] = OneOf("file", "directory"),
        [("domain-name", "resolves_to_refs")] = OneOf("ipv4-addr", "ipv6-addr", "domain-name"),
        [("email-addr", "belongs_to_ref")] = UserAccount,
        [("email-message", "from_ref")] = EmailAddr,
        [("email-message", "sender_ref")] = EmailAddr,
        [("email-message", "to_refs")] = EmailAddr,
        [("email-message", "cc_refs")] = EmailAddr,
        [("email-message", "bcc_refs")] = EmailAddr,
        [("email-message", "raw_email_ref")] = OneOf("artifact"),
        [("file", "parent_directory_ref")] = OneOf("directory"),
        [("file", "content_ref")] = OneOf("artifact"),
        [("file", "contains_refs")] = Sco,
        [("ipv4-addr", "resolves_to_refs")] = OneOf("mac-addr"),
        [("ipv4-addr", "belongs_to_refs")] = OneOf("autonomous-system"),
        [("ipv6-addr", "resolves_to_refs")] = OneOf("mac-addr"),
        [("ipv6-addr", "belongs_to_refs")] = OneOf("autonomous-system"),
        [("network-traffic", "src_ref")] = OneOf("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"),
        [("network-traffic", "dst_ref")] = OneOf("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"),
        [("network-traffic", "src_payload_ref")] = OneOf("artifact"),
        [("network-traffic", "dst_payload_ref")] = OneOf("artifact"),
        [("network-traffic", "encapsulates_refs")] = OneOf("network-traffic"),
        [("network-traffic", "encapsulated_by_ref")] = OneOf("network-traffic"),
        [("process", "opened_connection_refs")] = OneOf("network-traffic"),
        [("process", "creator_user_ref")] = UserAccount,
        [("process", "image_ref")] = OneOf("file"),
        [("process", "parent_ref")] = OneOf("process"),
        [("process", "child_refs")] = OneOf("process"),
        [("windows-registry-key", "creator_user_ref")] = UserAccount,
    };

    public static void Check(ValidationContext ctx)
    {
        foreach (var (name, node) in ctx.Obj)
        {
            if (name.EndsWith("_ref", StringComparison.Ordinal))
            {
                CheckOne(ctx, name, ctx.PathOf(name), node, TargetFor(ctx.Type, name));
            }
            else if (name.EndsWith("_refs", StringComparison.Ordinal))
            {
                if (node is not JsonArray arr)
                {
                    (IsDefined(ctx, name) ? (Action<string, string>)ctx.Error : ctx.Warning)(ctx.PathOf(name), $"'{name}' must be a list of identifiers");
                    continue;
                }
                var target = TargetFor(ctx.Type, name);
                for (var i = 0; i < arr.Count; i++)
                {
                    CheckOne(ctx, name, ctx.PathOf($"{name}[{i}]"), arr[i], target);
                }
            }
        }
        if (ctx.Obj["granular_markings"] is JsonArray markings)
        {
            for (var i = 0; i < markings.Count; i++)
            {
                if (markings[i] is JsonObject m && m.ContainsKey("marking_ref"))
                {
                    CheckOne(ctx, "marking_ref", ctx.PathOf($"granular_markings[{i}].marking_ref"), m["marking_ref"], Marking);
                }
            }
        }
    }

    static bool IsDefined(ValidationContext ctx, string property) =>
        property == "marking_ref" || SpecProperties.Common.Contains(property) || SpecProperties.ObservableCommon.Contains(property)
        || (ctx.IsSpecType && SpecProperties.IsDefined(ctx.Type, property));

    static Target? TargetFor(string type, string property) =>
        Targets.TryGetValue((type, property), out var t) || Targets.TryGetValue(("*", property), out t) ? t : null;

    /// <summary>
    /// References STIX defines (common ones, and those of the spec's own types) must be identifiers: an Error.
    /// A custom property that merely ends in _ref/_refs is the producer's (ATT&amp;CK sets
    /// <c>x_mitre_data_source_ref</c> to "" on deprecated objects): not an identifier there is a Warning.
    /// </summary>
    static void CheckOne(ValidationContext ctx, string property, string path, JsonNode? node, Target? target)
    {
        var defined = IsDefined(ctx, property);
        Action<string, string> report = defined ? ctx.Error : ctx.Warning;
        if (ValidationContext.AsString(node) is not { } id)
        {
            report(path, $"'{property}' must hold identifier strings (<type>--<UUID>)");
            return;
        }
        if (!CommonPropertyRules.TryParseId(id, out var targetType, out _))
        {
            report(path, defined
                ? $"'{property}' value '{id}' is not a valid identifier (<type>--<RFC 4122 UUID>)"
                : $"custom reference property '{property}' value '{id}' is not an identifier (<type>--<UUID>)");
            return;
        }
        if (target is not null && !target.Allows(targetType))
        {
            ctx.Error(path, $"'{property}' must reference {target.Description}, not a {targetType} ('{id}')");
        }
    }
}
