using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Stix.Validation;

/// <summary>type, id, spec_version, created/modified and the other common properties (sections 2, 3, 7.2).</summary>
internal static partial class CommonPropertyRules
{
    [GeneratedRegex("^[a-z0-9-]{3,250}$")]
    private static partial Regex TypeName();

    public static void Check(ValidationContext ctx)
    {
        CheckType(ctx);
        CheckId(ctx);
        CheckSpecVersion(ctx);
        CheckCreatedModified(ctx);
        CheckScalars(ctx);
        CheckLists(ctx);
        CheckExternalReferences(ctx);
        CheckKillChainPhases(ctx);
        CheckGranularMarkings(ctx);
        CheckExtensions(ctx);
    }

    static void CheckType(ValidationContext ctx)
    {
        var path = ctx.PathOf("type");
        if (!ctx.Has("type"))
        {
            ctx.Error(path, "required property 'type' is missing");
            return;
        }
        if (ctx.GetString("type") is not { } type)
        {
            ctx.Error(path, "'type' must be a string");
            return;
        }
        if (!TypeName().IsMatch(type) || type.Contains("--", StringComparison.Ordinal) || type.StartsWith('-') || type.EndsWith('-'))
        {
            ctx.Error(path, $"type '{type}' is invalid: it must be 3-250 characters of lowercase a-z, 0-9 and single inner hyphens");
            return;
        }
        if (type == "bundle")
        {
            ctx.Error(path, "a bundle cannot be an object inside a bundle");
            return;
        }
        if (!ctx.IsSpecType && !ctx.IsExtensionDefinedType && !type.StartsWith("x-", StringComparison.Ordinal))
        {
            ctx.Warning(path, $"type '{type}' is not a STIX 2.1 type and no extension-definition defines it (new-sdo/new-sco/new-sro); custom object types should start with 'x-'");
        }
    }

    static void CheckId(ValidationContext ctx)
    {
        var path = ctx.PathOf("id");
        if (!ctx.Has("id"))
        {
            ctx.Error(path, "required property 'id' is missing");
            return;
        }
        if (ctx.Id is not { } id)
        {
            ctx.Error(path, "'id' must be a string");
            return;
        }
        if (!TryParseId(id, out var idType, out var uuid))
        {
            ctx.Error(path, $"id '{id}' is not of the form <type>--<RFC 4122 UUID>");
            return;
        }
        if (ctx.Type.Length > 0 && idType != ctx.Type)
        {
            ctx.Error(path, $"id '{id}' starts with '{idType}' but the object's type is '{ctx.Type}'");
            return;
        }
        var version = UuidV5.VersionOf(uuid);
        if (ctx.Category == ObjectCategory.Sco)
        {
            if (ScoId.Compute(ctx.Obj) is { } deterministic && !string.Equals(deterministic, id, StringComparison.OrdinalIgnoreCase))
            {
                ctx.Warning(path, version == 5
                    ? $"id '{id}' is a UUIDv5 but not the deterministic id of its ID Contributing Properties ({string.Join(", ", ScoId.IdContributingProperties(ctx.Type))}), which is '{deterministic}'"
                    : $"SCOs should use a deterministic UUIDv5 id; from its ID Contributing Properties this one would be '{deterministic}'");
            }
        }
        else if (version != 4)
        {
            ctx.Warning(path, $"id '{id}' uses a version {version} UUID; SDOs, SROs and meta objects should use UUIDv4");
        }
    }

    /// <summary>Splits <c>type--uuid</c>; false unless the UUID is RFC 4122 (variant 10xx) with version 1-5.</summary>
    public static bool TryParseId(string id, out string type, out Guid uuid)
    {
        type = "";
        uuid = Guid.Empty;
        var sep = id.IndexOf("--", StringComparison.Ordinal);
        if (sep <= 0 || id.Length - sep - 2 != 36 || !Guid.TryParseExact(id[(sep + 2)..], "D", out uuid))
        {
            return false;
        }
        type = id[..sep];
        var version = UuidV5.VersionOf(uuid);
        return TypeName().IsMatch(type) && UuidV5.IsRfc4122Variant(uuid) && version is >= 1 and <= 5;
    }

    static void CheckSpecVersion(ValidationContext ctx)
    {
        var path = ctx.PathOf("spec_version");
        if (!ctx.Has("spec_version"))
        {
            if (ctx.Category != ObjectCategory.Sco)
            {
                ctx.Error(path, "required property 'spec_version' is missing: STIX 2.1 SDOs, SROs and meta objects must say \"2.1\" (an object without it is STIX 2.0 content)");
            }
            return;
        }
        if (ctx.GetString("spec_version") is not { } v)
        {
            ctx.Error(path, "'spec_version' must be the string \"2.1\"");
        }
        else if (v != "2.1")
        {
            ctx.Error(path, $"spec_version '{v}' is not supported: this validator accepts STIX 2.1 content only");
        }
    }

    static void CheckCreatedModified(ValidationContext ctx)
    {
        switch (ctx.Category)
        {
            case ObjectCategory.Sco:
                return;
            case ObjectCategory.MarkingDefinition:
                if (!ctx.Has("created"))
                {
                    ctx.Error(ctx.PathOf("created"), "required property 'created' is missing");
                }
                if (ctx.Has("modified"))
                {
                    ctx.Warning(ctx.PathOf("modified"), "marking definitions are not versioned in STIX 2.1: 'modified' is not one of their properties");
                }
                return;
            default:
                foreach (var p in (string[])["created", "modified"])
                {
                    if (!ctx.Has(p))
                    {
                        ctx.Error(ctx.PathOf(p), $"required property '{p}' is missing");
                    }
                }
                TimestampRules.CheckOrder(ctx, "created", "modified", strict: false);
                return;
        }
    }

    static void CheckScalars(ValidationContext ctx)
    {
        if (ctx.Has("revoked") && !ValidationContext.IsBoolean(ctx.Obj["revoked"]))
        {
            ctx.Error(ctx.PathOf("revoked"), "'revoked' must be a boolean");
        }
        if (ctx.Has("confidence") && !(ValidationContext.TryGetInteger(ctx.Obj["confidence"], out var c) && c is >= 0 and <= 100))
        {
            ctx.Error(ctx.PathOf("confidence"), "'confidence' must be an integer from 0 to 100");
        }
        if (ctx.Has("lang") && !ValidationContext.IsString(ctx.Obj["lang"]))
        {
            ctx.Error(ctx.PathOf("lang"), "'lang' must be a string (an RFC 5646 language code)");
        }
        if (ctx.Has("defanged") && !ValidationContext.IsBoolean(ctx.Obj["defanged"]))
        {
            ctx.Error(ctx.PathOf("defanged"), "'defanged' must be a boolean");
        }
        if (ctx.Category == ObjectCategory.Sco)
        {
            return;
        }
        if (ctx.Obj["labels"] is { } labels && !(labels is JsonArray la && la.All(ValidationContext.IsString)))
        {
            ctx.Error(ctx.PathOf("labels"), "'labels' must be a list of strings");
        }
    }

    /// <summary>Section 3.1 (list type): empty lists are prohibited and must not stand in for an omitted property.</summary>
    static void CheckLists(ValidationContext ctx)
    {
        foreach (var (name, node) in ctx.Obj)
        {
            if (node is JsonArray { Count: 0 })
            {
                ctx.Error(ctx.PathOf(name), $"'{name}' is an empty list; STIX prohibits empty lists (omit the property instead)");
            }
            else if (node is null)
            {
                ctx.Error(ctx.PathOf(name), $"'{name}' is null; STIX has no null values (omit the property instead)");
            }
        }
    }

    static void CheckExternalReferences(ValidationContext ctx)
    {
        if (ctx.Obj["external_references"] is not { } node)
        {
            return;
        }
        if (node is not JsonArray refs)
        {
            ctx.Error(ctx.PathOf("external_references"), "'external_references' must be a list of external-reference objects");
            return;
        }
        for (var i = 0; i < refs.Count; i++)
        {
            var path = ctx.PathOf($"external_references[{i}]");
            if (refs[i] is not JsonObject r)
            {
                ctx.Error(path, "an external reference must be an object");
                continue;
            }
            if (!ValidationContext.IsString(r["source_name"]))
            {
                ctx.Error(path + ".source_name", "external reference without the required 'source_name'");
            }
            if (!r.ContainsKey("description") && !r.ContainsKey("url") && !r.ContainsKey("external_id"))
            {
                ctx.Error(path, "an external reference needs at least one of 'description', 'url' or 'external_id'");
            }
            if (ValidationContext.AsString(r["source_name"]) is "cve" or "capec" && !r.ContainsKey("external_id"))
            {
                ctx.Error(path + ".external_id", $"an external reference to '{ValidationContext.AsString(r["source_name"])}' must carry the 'external_id'");
            }
        }
    }

    static void CheckKillChainPhases(ValidationContext ctx)
    {
        if (ctx.Obj["kill_chain_phases"] is not { } node)
        {
            return;
        }
        if (node is not JsonArray phases)
        {
            ctx.Error(ctx.PathOf("kill_chain_phases"), "'kill_chain_phases' must be a list of kill-chain-phase objects");
            return;
        }
        for (var i = 0; i < phases.Count; i++)
        {
            var path = ctx.PathOf($"kill_chain_phases[{i}]");
            if (phases[i] is not JsonObject p)
            {
                ctx.Error(path, "a kill chain phase must be an object");
                continue;
            }
            foreach (var required in (string[])["kill_chain_name", "phase_name"])
            {
                if (!ValidationContext.IsString(p[required]))
                {
                    ctx.Error(path + "." + required, $"kill chain phase without the required '{required}'");
                }
            }
        }
    }

    static void CheckGranularMarkings(ValidationContext ctx)
    {
        if (ctx.Obj["granular_markings"] is not { } node)
        {
            return;
        }
        if (node is not JsonArray markings)
        {
            ctx.Error(ctx.PathOf("granular_markings"), "'granular_markings' must be a list of granular-marking objects");
            return;
        }
        for (var i = 0; i < markings.Count; i++)
        {
            var path = ctx.PathOf($"granular_markings[{i}]");
            if (markings[i] is not JsonObject m)
            {
                ctx.Error(path, "a granular marking must be an object");
                continue;
            }
            if (m["selectors"] is not JsonArray { Count: > 0 } selectors || !selectors.All(ValidationContext.IsString))
            {
                ctx.Error(path + ".selectors", "a granular marking needs 'selectors': a non-empty list of selector strings");
            }
            var hasRef = m.ContainsKey("marking_ref");
            var hasLang = m.ContainsKey("lang");
            if (hasRef == hasLang)
            {
                ctx.Error(path, "a granular marking must have exactly one of 'marking_ref' and 'lang'");
            }
        }
    }

    static void CheckExtensions(ValidationContext ctx)
    {
        if (ctx.Obj["extensions"] is not { } node)
        {
            return;
        }
        var path = ctx.PathOf("extensions");
        if (node is not JsonObject extensions || extensions.Count == 0)
        {
            ctx.Error(path, "'extensions' must be a non-empty dictionary");
            return;
        }
        foreach (var (key, value) in extensions)
        {
            var keyPath = $"{path}['{key}']";
            if (value is not JsonObject ext)
            {
                ctx.Error(keyPath, "an extension must be an object");
                continue;
            }
            if (key.StartsWith("extension-definition--", StringComparison.Ordinal))
            {
                if (!StixId.IsValid(key, "extension-definition"))
                {
                    ctx.Error(keyPath, $"extension key '{key}' is not a valid extension-definition id");
                }
                var extensionType = ValidationContext.AsString(ext["extension_type"]);
                if (extensionType is null)
                {
                    ctx.Error(keyPath + ".extension_type", "an extension defined by an extension-definition must say its 'extension_type'");
                }
                else if (extensionType is not ("new-sdo" or "new-sco" or "new-sro" or "property-extension" or "toplevel-property-extension"))
                {
                    ctx.Error(keyPath + ".extension_type", $"extension_type '{extensionType}' is not one of new-sdo, new-sco, new-sro, property-extension, toplevel-property-extension");
                }
                else if (extensionType is "new-sdo" or "new-sco" or "new-sro" && ctx.IsSpecType)
                {
                    ctx.Error(keyPath + ".extension_type", $"a {extensionType} extension defines a new object type; '{ctx.Type}' is already a STIX 2.1 type");
                }
            }
            else if (!key.EndsWith("-ext", StringComparison.Ordinal))
            {
                ctx.Warning(keyPath, $"extension key '{key}' is neither an extension-definition id nor a predefined '-ext' extension name");
            }
        }
    }
}
