using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ThreatGraph.Stix.Patterning;

namespace ThreatGraph.Stix.Validation;

/// <summary>The invariants of individual types beyond presence: ranges, time windows, patterns, vocabularies.</summary>
internal static partial class TypeRules
{
    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex RelationshipType();

    public static void Check(ValidationContext ctx)
    {
        switch (ctx.Type)
        {
            case "indicator":
                CheckIndicator(ctx);
                break;
            case "observed-data":
                TimestampRules.CheckOrder(ctx, "first_observed", "last_observed", strict: false);
                CheckIntegerRange(ctx, "number_observed", 1, 999_999_999);
                break;
            case "sighting":
                TimestampRules.CheckOrder(ctx, "first_seen", "last_seen", strict: false);
                CheckIntegerRange(ctx, "count", 0, 999_999_999);
                break;
            case "relationship":
                if (ctx.GetString("relationship_type") is { } rt && !RelationshipType().IsMatch(rt))
                {
                    ctx.Error(ctx.PathOf("relationship_type"), $"relationship_type '{rt}' must only contain a-z, 0-9 and '-'");
                }
                TimestampRules.CheckOrder(ctx, "start_time", "stop_time", strict: true);
                break;
            case "campaign" or "intrusion-set" or "threat-actor" or "malware" or "infrastructure":
                TimestampRules.CheckOrder(ctx, "first_seen", "last_seen", strict: false);
                break;
            case "malware-analysis":
                TimestampRules.CheckOrder(ctx, "analysis_started", "analysis_ended", strict: false);
                break;
            case "location":
                CheckNumberRange(ctx, "latitude", -90, 90);
                CheckNumberRange(ctx, "longitude", -180, 180);
                if (ctx.Has("latitude") != ctx.Has("longitude"))
                {
                    ctx.Error(ctx.PathOf(ctx.Has("latitude") ? "longitude" : "latitude"), "'latitude' and 'longitude' must be present together");
                }
                if (ctx.Has("precision") && !ctx.Has("latitude"))
                {
                    ctx.Error(ctx.PathOf("precision"), "'precision' requires 'latitude' and 'longitude'");
                }
                break;
            case "network-traffic":
                TimestampRules.CheckOrder(ctx, "start", "end", strict: true);
                CheckIntegerRange(ctx, "src_port", 0, 65535);
                CheckIntegerRange(ctx, "dst_port", 0, 65535);
                break;
            case "marking-definition":
                MarkingRules.Check(ctx);
                break;
            case "incident":
                CheckIncidentSeverity(ctx);
                break;
        }
        CheckHashes(ctx);
        CheckVocabularies(ctx);
    }

    static void CheckIndicator(ValidationContext ctx)
    {
        TimestampRules.CheckOrder(ctx, "valid_from", "valid_until", strict: true);
        CheckDecay(ctx);
        if (ctx.GetString("pattern_type") == "stix" && ctx.GetString("pattern") is { } pattern)
        {
            var result = StixPattern.Parse(pattern);
            if (!result.Success)
            {
                var error = result.Error;
                ctx.Error(ctx.PathOf("pattern"), error is null
                    ? "invalid STIX pattern"
                    : $"invalid STIX pattern at position {error.Position}: {error.Message}");
            }
        }
        else if (ctx.Has("pattern") && ctx.GetString("pattern") is null)
        {
            ctx.Error(ctx.PathOf("pattern"), "'pattern' must be a string");
        }
    }

    /// <summary>An indicator's own decay (<c>x_threatgraph_decay</c>: lifetime_days, speed), ours, so strict: both
    /// positive numbers when given (README "Lifecycle and severity").</summary>
    static void CheckDecay(ValidationContext ctx)
    {
        const string property = "x_threatgraph_decay";
        if (ctx.Obj[property] is not { } node)
        {
            return;
        }
        if (node is not JsonObject decay)
        {
            ctx.Error(ctx.PathOf(property), $"'{property}' must be an object with lifetime_days and/or speed");
            return;
        }
        foreach (var (key, value) in decay)
        {
            var path = $"{ctx.PathOf(property)}.{key}";
            if (key is not ("lifetime_days" or "speed"))
            {
                ctx.Error(path, $"'{key}' is not a decay parameter (lifetime_days, speed)");
            }
            else if (!ValidationContext.TryGetNumber(value, out var v) || !(v > 0))
            {
                ctx.Error(path, $"'{key}' must be a number greater than 0, not {value?.ToJsonString() ?? "null"}");
            }
        }
    }

    /// <summary>Severity factors (<see cref="Severity.IncidentSeverityReader"/>): ours must be in the vocabulary; the
    /// Incident Core extension's are warned about where it says SHOULD.</summary>
    static void CheckIncidentSeverity(ValidationContext ctx)
    {
        var issues = new List<Severity.SeverityIssue>();
        Severity.IncidentSeverityReader.Read(ctx.Obj, ctx.BasePath, issues);
        foreach (var issue in issues)
        {
            if (issue.IsError)
            {
                ctx.Error(issue.Path, issue.Message);
            }
            else
            {
                ctx.Warning(issue.Path, issue.Message);
            }
        }
    }

    static void CheckIntegerRange(ValidationContext ctx, string property, long min, long max)
    {
        if (ctx.Has(property) && !(ValidationContext.TryGetInteger(ctx.Obj[property], out var v) && v >= min && v <= max))
        {
            ctx.Error(ctx.PathOf(property), $"'{property}' must be an integer from {min} to {max}");
        }
    }

    static void CheckNumberRange(ValidationContext ctx, string property, double min, double max)
    {
        if (ctx.Has(property) && !(ValidationContext.TryGetNumber(ctx.Obj[property], out var v) && v >= min && v <= max))
        {
            ctx.Error(ctx.PathOf(property), $"'{property}' must be a number from {min} to {max}");
        }
    }

    static void CheckHashes(ValidationContext ctx)
    {
        if (!ctx.IsSpecType || ctx.Obj["hashes"] is not { } node)
        {
            return;
        }
        if (node is not JsonObject hashes || hashes.Count == 0)
        {
            ctx.Error(ctx.PathOf("hashes"), "'hashes' must be a non-empty dictionary of hash algorithm → hash value");
            return;
        }
        foreach (var (algorithm, value) in hashes)
        {
            var path = $"{ctx.PathOf("hashes")}['{algorithm}']";
            if (!ValidationContext.IsString(value))
            {
                ctx.Error(path, "a hash value must be a string");
            }
            else if (!Vocabularies.HashAlgorithms.Contains(algorithm))
            {
                ctx.Warning(path, $"hash algorithm '{algorithm}' is not in hash-algorithm-ov ({string.Join(", ", Vocabularies.HashAlgorithms)})");
            }
        }
    }

    static void CheckVocabularies(ValidationContext ctx)
    {
        foreach (var ((type, property), values) in Vocabularies.Open)
        {
            if (type != ctx.Type || ctx.Obj[property] is not { } node)
            {
                continue;
            }
            var items = node is JsonArray arr ? arr.Select((n, i) => (n, $"{ctx.PathOf(property)}[{i}]")) : [(node, ctx.PathOf(property))];
            foreach (var (item, path) in items)
            {
                if (ValidationContext.AsString(item) is not { } s)
                {
                    ctx.Error(path, $"'{property}' values must be strings");
                }
                else if (!values.Contains(s))
                {
                    ctx.Warning(path, $"'{s}' is not in the open vocabulary for {type}.{property}");
                }
            }
        }
    }
}
