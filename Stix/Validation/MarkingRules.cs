using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Stix.Validation;

/// <summary>marking-definition (section 7.2): statement and TLP 1.0 definitions, TLP 2.0 via its extension.</summary>
internal static class MarkingRules
{
    public const string Tlp2ExtensionId = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    /// <summary>The TLP 1.0 marking-definition ids STIX 2.1 section 7.2.1.4 fixes.</summary>
    static readonly Dictionary<string, string> Tlp1Ids = new(StringComparer.Ordinal)
    {
        ["white"] = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        ["green"] = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        ["amber"] = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        ["red"] = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
    };

    static readonly Dictionary<TlpLevel, string> Tlp2Values = new()
    {
        [TlpLevel.Clear] = "clear",
        [TlpLevel.Green] = "green",
        [TlpLevel.Amber] = "amber",
        [TlpLevel.AmberStrict] = "amber+strict",
        [TlpLevel.Red] = "red",
    };

    public static void Check(ValidationContext ctx)
    {
        var definitionType = ctx.GetString("definition_type");
        var definition = ctx.Obj["definition"];
        if (ctx.Has("definition") && definition is not JsonObject)
        {
            ctx.Error(ctx.PathOf("definition"), "'definition' must be an object");
        }
        switch (definitionType)
        {
            case "statement":
                if (definition is JsonObject st && !ValidationContext.IsString(st["statement"]))
                {
                    ctx.Error(ctx.PathOf("definition.statement"), "a statement marking needs 'definition.statement' (a string)");
                }
                break;
            case "tlp":
                if (definition is JsonObject tlp)
                {
                    var level = ValidationContext.AsString(tlp["tlp"]);
                    if (level is null || !Tlp1Ids.TryGetValue(level, out var expectedId))
                    {
                        ctx.Error(ctx.PathOf("definition.tlp"), "a TLP 1.0 marking needs 'definition.tlp' of white, green, amber or red");
                    }
                    else if (ctx.Id != expectedId)
                    {
                        ctx.Error(ctx.PathOf("id"), $"the TLP:{level.ToUpperInvariant()} marking-definition must have the id '{expectedId}' fixed by STIX 2.1");
                    }
                }
                break;
            case null:
                break;
            default:
                ctx.Warning(ctx.PathOf("definition_type"), $"definition_type '{definitionType}' is neither 'statement' nor 'tlp'; consumers may not understand it");
                break;
        }

        var tlp2 = ctx.Obj["extensions"] is JsonObject ext ? ext[Tlp2ExtensionId] as JsonObject : null;
        if (tlp2 is not null)
        {
            var value = ValidationContext.AsString(tlp2["tlp_2_0"]);
            var path = $"{ctx.PathOf("extensions")}['{Tlp2ExtensionId}'].tlp_2_0";
            if (value is null || !Tlp2Values.ContainsValue(value))
            {
                ctx.Error(path, "a TLP 2.0 marking needs 'tlp_2_0' of clear, green, amber, amber+strict or red");
            }
            else if (ctx.Id is { } id && Tlp.ById.TryGetValue(id, out var level) && Tlp2Values[level] != value)
            {
                ctx.Error(path, $"'{id}' is the official TLP:{Tlp2Values[level].ToUpperInvariant()} marking but says tlp_2_0 '{value}'");
            }
            else if (ctx.Id is { } otherId && !Tlp.ById.ContainsKey(otherId))
            {
                ctx.Warning(ctx.PathOf("id"), $"TLP 2.0 markings should use the official marking-definition ids (cti-stix-common-objects), not '{otherId}'");
            }
        }
        if (ctx.Id is { } markingId && Tlp.ById.TryGetValue(markingId, out var official) && tlp2 is null)
        {
            ctx.Error(ctx.PathOf("extensions"), $"'{markingId}' is the official TLP:{Tlp2Values[official].ToUpperInvariant()} marking-definition but lacks the TLP 2.0 extension ({Tlp2ExtensionId})");
        }
    }
}
