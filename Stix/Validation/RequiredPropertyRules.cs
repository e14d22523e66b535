using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Validation;

/// <summary>The per-type required properties of STIX 2.1 (sections 4-7), including the "one of" requirements.</summary>
internal static class RequiredPropertyRules
{
    /// <summary>Properties each STIX 2.1 type requires unconditionally (besides the common ones).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Required = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["attack-pattern"] = ["name"],
        ["campaign"] = ["name"],
        ["course-of-action"] = ["name"],
        ["grouping"] = ["context", "object_refs"],
        ["identity"] = ["name"],
        ["incident"] = ["name"],
        ["indicator"] = ["pattern", "pattern_type", "valid_from"],
        ["infrastructure"] = ["name"],
        ["intrusion-set"] = ["name"],
        ["location"] = [],
        ["malware"] = ["is_family"],
        ["malware-analysis"] = ["product"],
        ["note"] = ["content", "object_refs"],
        ["observed-data"] = ["first_observed", "last_observed", "number_observed"],
        ["opinion"] = ["opinion", "object_refs"],
        ["report"] = ["name", "published", "object_refs"],
        ["threat-actor"] = ["name"],
        ["tool"] = ["name"],
        ["vulnerability"] = ["name"],
        ["relationship"] = ["relationship_type", "source_ref", "target_ref"],
        ["sighting"] = ["sighting_of_ref"],
        ["artifact"] = [],
        ["autonomous-system"] = ["number"],
        ["directory"] = ["path"],
        ["domain-name"] = ["value"],
        ["email-addr"] = ["value"],
        ["email-message"] = ["is_multipart"],
        ["file"] = [],
        ["ipv4-addr"] = ["value"],
        ["ipv6-addr"] = ["value"],
        ["mac-addr"] = ["value"],
        ["mutex"] = ["name"],
        ["network-traffic"] = ["protocols"],
        ["process"] = [],
        ["software"] = ["name"],
        ["url"] = ["value"],
        ["user-account"] = [],
        ["windows-registry-key"] = [],
        ["x509-certificate"] = [],
        ["marking-definition"] = [],
        ["language-content"] = ["object_ref", "object_modified", "contents"],
        ["extension-definition"] = ["created_by_ref", "name", "schema", "version", "extension_types"],
    };

    public static void Check(ValidationContext ctx)
    {
        if (!Required.TryGetValue(ctx.Type, out var required))
        {
            return;
        }
        foreach (var p in required)
        {
            if (!ctx.Has(p))
            {
                ctx.Error(ctx.PathOf(p), $"required property '{p}' is missing (required on {ctx.Type})");
            }
        }
        switch (ctx.Type)
        {
            case "malware":
                if (ctx.Obj["is_family"] is { } f && !ValidationContext.IsBoolean(f))
                {
                    ctx.Error(ctx.PathOf("is_family"), "'is_family' must be a boolean");
                }
                else if (ctx.Obj["is_family"] is JsonValue v && v.TryGetValue(out bool isFamily) && isFamily && !ctx.Has("name"))
                {
                    ctx.Error(ctx.PathOf("name"), "required property 'name' is missing (a malware family, is_family true, must have a name)");
                }
                break;
            case "malware-analysis":
                if (!ctx.Has("result") && !ctx.Has("analysis_sco_refs"))
                {
                    ctx.Error(ctx.PathOf("result"), "malware-analysis must have 'result' or 'analysis_sco_refs' (or both)");
                }
                break;
            case "location":
                if (!ctx.Has("region") && !ctx.Has("country") && !(ctx.Has("latitude") && ctx.Has("longitude")))
                {
                    ctx.Error(ctx.BasePath, "location must have at least one of 'region', 'country', or 'latitude' and 'longitude'");
                }
                break;
            case "observed-data":
                if (ctx.Has("objects") && ctx.Has("object_refs"))
                {
                    ctx.Error(ctx.PathOf("objects"), "observed-data must not have both 'objects' and 'object_refs'");
                }
                else if (!ctx.Has("object_refs") && !ctx.Has("objects"))
                {
                    ctx.Error(ctx.PathOf("object_refs"), "required property 'object_refs' is missing (required on observed-data)");
                }
                else if (ctx.Has("objects"))
                {
                    ctx.Warning(ctx.PathOf("objects"), "'objects' is deprecated in STIX 2.1; use 'object_refs' to SCOs in the bundle");
                }
                break;
            case "artifact":
                if (ctx.Has("payload_bin") == ctx.Has("url"))
                {
                    ctx.Error(ctx.BasePath, "artifact must have exactly one of 'payload_bin' and 'url'");
                }
                else if (ctx.Has("url") && !ctx.Has("hashes"))
                {
                    ctx.Error(ctx.PathOf("hashes"), "an artifact with 'url' must also have 'hashes'");
                }
                break;
            case "file":
                if (!ctx.Has("hashes") && !ctx.Has("name"))
                {
                    ctx.Error(ctx.BasePath, "file must have at least one of 'hashes' and 'name'");
                }
                break;
            case "network-traffic":
                if (!ctx.Has("src_ref") && !ctx.Has("dst_ref"))
                {
                    ctx.Error(ctx.BasePath, "network-traffic must have at least one of 'src_ref' and 'dst_ref'");
                }
                break;
            case "email-message":
                if (ctx.Obj["is_multipart"] is JsonValue mv && mv.TryGetValue(out bool multipart))
                {
                    if (multipart && ctx.Has("body"))
                    {
                        ctx.Error(ctx.PathOf("body"), "'body' must not be present when is_multipart is true (use body_multipart)");
                    }
                    if (!multipart && ctx.Has("body_multipart"))
                    {
                        ctx.Error(ctx.PathOf("body_multipart"), "'body_multipart' must not be present when is_multipart is false");
                    }
                }
                break;
            case "process" or "user-account" or "windows-registry-key" or "x509-certificate":
                if (ctx.Obj.All(p => SpecProperties.ObservableCommon.Contains(p.Key)))
                {
                    ctx.Error(ctx.BasePath, $"{ctx.Type} must have at least one property of its own besides the common ones");
                }
                break;
            case "marking-definition":
                if (!ctx.Has("definition_type") && !ctx.Has("definition") && !ctx.Has("extensions"))
                {
                    ctx.Error(ctx.PathOf("definition_type"), "marking-definition needs 'definition_type' and 'definition', or an extension that defines the marking");
                }
                else if (ctx.Has("definition_type") != ctx.Has("definition"))
                {
                    ctx.Error(ctx.PathOf(ctx.Has("definition") ? "definition_type" : "definition"), "'definition_type' and 'definition' must be present together");
                }
                break;
        }
    }
}
