using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Stix;

/// <summary>Malformed JSON: the 1-based line and column of the first error.</summary>
public sealed class StixJsonException(string message, long line, long column, Exception inner)
    : Exception($"Malformed JSON at line {line}, column {column}: {message}", inner)
{
    public long Line { get; } = line;
    public long Column { get; } = column;
}

/// <summary>The objects of a bundle in document order, with their JSON paths, and problems of the envelope itself.</summary>
public sealed record BundleReadResult(string? BundleId, IReadOnlyList<BundleEntry> Entries, IReadOnlyList<StixIssue> EnvelopeIssues);

/// <summary>One element of <c>objects</c>: Json is null when the element is not a JSON object.</summary>
public sealed record BundleEntry(int Index, string Path, JsonObject? Json);

public static class BundleReader
{
    /// <summary>
    /// Reads a STIX bundle. Also accepts, with an envelope issue, what real feeds send instead: a wrapper with
    /// <c>objects</c> but no <c>"type": "bundle"</c>, or a single bare object.
    /// </summary>
    /// <exception cref="StixJsonException">The input is not well-formed JSON.</exception>
    public static BundleReadResult Read(ReadOnlySpan<byte> utf8)
    {
        JsonNode? root;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            root = JsonNode.Parse(ref reader);
        }
        catch (JsonException e)
        {
            throw new StixJsonException(Clean(e.Message), (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, e);
        }
        return Interpret(root);
    }

    public static BundleReadResult Read(string json) => Read(System.Text.Encoding.UTF8.GetBytes(json));

    static BundleReadResult Interpret(JsonNode? root)
    {
        var issues = new List<StixIssue>();
        if (root is not JsonObject top)
        {
            issues.Add(new(null, "$", "a STIX bundle must be a JSON object", IssueSeverity.Error));
            return new(null, [], issues);
        }
        var type = top["type"] is JsonValue tv && tv.TryGetValue(out string? t) ? t : null;
        var id = top["id"] is JsonValue iv && iv.TryGetValue(out string? i) ? i : null;

        if (type is not "bundle" && top["objects"] is null && type is not null)
        {
            // A single bare object: treat it as a bundle of one.
            issues.Add(new(id, "$", "not a bundle: a single STIX object was sent; it is processed as a bundle of one", IssueSeverity.Warning));
            return new(null, [new BundleEntry(0, "$", top)], issues);
        }

        if (type is not "bundle")
        {
            issues.Add(new(id, "$.type", type is null
                ? "the bundle has no \"type\": \"bundle\"; its objects are processed one by one"
                : $"the bundle's type must be \"bundle\", not \"{type}\"", IssueSeverity.Error));
        }
        if (id is null)
        {
            issues.Add(new(null, "$.id", "the bundle has no id (required: bundle--<UUID>)", IssueSeverity.Error));
        }
        else if (!StixId.IsValid(id, "bundle"))
        {
            issues.Add(new(id, "$.id", $"'{id}' is not a valid bundle id (bundle--<UUID>)", IssueSeverity.Error));
        }
        if (top["spec_version"] is not null)
        {
            issues.Add(new(id, "$.spec_version", "bundles have no spec_version in STIX 2.1 (that was STIX 2.0)", IssueSeverity.Warning));
        }

        if (top["objects"] is not JsonArray objects)
        {
            if (top["objects"] is not null)
            {
                issues.Add(new(id, "$.objects", "'objects' must be a list of STIX objects", IssueSeverity.Error));
            }
            return new(id, [], issues);
        }

        var entries = new List<BundleEntry>(objects.Count);
        for (var n = 0; n < objects.Count; n++)
        {
            entries.Add(new BundleEntry(n, $"$.objects[{n}]", objects[n] as JsonObject));
        }
        return new(id, entries, issues);
    }

    static string Clean(string message)
    {
        // System.Text.Json appends " Path: $ | LineNumber: 0 | BytePositionInLine: 0." (JsonNode.Parse over a reader
        // leaves out the Path part) — we report our own 1-based position.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }
        return cut > 0 ? message[..cut] : message;
    }
}
