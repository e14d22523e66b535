using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThreatGraph.Stix;

/// <summary>
/// One STIX object as it arrived: the JSON is kept whole (custom properties, x-mitre-* types, extensions) so that
/// what goes in comes out equal. Typed accessors read the common properties the graph needs.
/// </summary>
public sealed class StixObject
{
    public StixObject(JsonObject json)
    {
        Json = json;
        Id = json["id"] is JsonValue id && id.TryGetValue(out string? s) ? s : "";
        Type = json["type"] is JsonValue t && t.TryGetValue(out string? ts) ? ts : "";
    }

    public JsonObject Json { get; }
    public string Id { get; }
    public string Type { get; }
    public StixKind Kind => StixTypes.KindOf(Type);

    public string? SpecVersion => GetString("spec_version");
    public DateTimeOffset? Created => GetTimestamp("created");
    public DateTimeOffset? Modified => GetTimestamp("modified");
    public bool Revoked => Json["revoked"] is JsonValue v && v.TryGetValue(out bool b) && b;
    public string? CreatedByRef => GetString("created_by_ref");
    public string? Name => GetString("name") ?? GetString("value");

    /// <summary>The version stamp STIX versioning compares: modified, else created (SCOs have neither).</summary>
    public DateTimeOffset? VersionStamp => Modified ?? Created;

    public IReadOnlyList<string> ObjectMarkingRefs => Strings("object_marking_refs");

    /// <summary>A list-of-strings property (non-strings ignored); empty when absent.</summary>
    public IReadOnlyList<string> Strings(string property) =>
        Json[property] is JsonArray a
            ? a.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s : null).OfType<string>().ToArray()
            : [];

    public string? GetString(string property) =>
        Json[property] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public DateTimeOffset? GetTimestamp(string property) =>
        GetString(property) is { } s && StixTimestamp.TryParse(s, out var t) ? t : null;

    /// <summary>
    /// Every embedded reference at the top level of the object (<c>*_ref</c> and <c>*_refs</c>), excluding
    /// <c>object_marking_refs</c> (markings are access control, not graph edges) and the SRO endpoints
    /// (<c>source_ref</c>/<c>target_ref</c>), which become the relationship edge itself.
    /// </summary>
    public IEnumerable<StixRef> EmbeddedRefs()
    {
        foreach (var (name, node) in Json)
        {
            if (name is "object_marking_refs" || (Kind == StixKind.Relationship && name is "source_ref" or "target_ref"))
            {
                continue;
            }
            if (name.EndsWith("_ref", StringComparison.Ordinal) && node is JsonValue v && v.TryGetValue(out string? target))
            {
                yield return new StixRef(name, target);
            }
            else if (name.EndsWith("_refs", StringComparison.Ordinal) && node is JsonArray arr)
            {
                foreach (var item in arr)
                {
                    if (item is JsonValue iv && iv.TryGetValue(out string? t))
                    {
                        yield return new StixRef(name, t);
                    }
                }
            }
        }
    }

    public string ToJsonString() => Json.ToJsonString(StixJson.CompactOptions);

    public static StixObject Parse(string json) =>
        new(JsonNode.Parse(json, documentOptions: StixJson.DocumentOptions) as JsonObject
            ?? throw new JsonException("A STIX object must be a JSON object."));
}

/// <summary>An embedded reference: the property it sits in (e.g. <c>object_refs</c>) and the id it points to.</summary>
public readonly record struct StixRef(string Property, string TargetId);

public static class StixJson
{
    public static readonly JsonSerializerOptions CompactOptions = new() { WriteIndented = false };
    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };
}

public static class StixTimestamp
{
    /// <summary>RFC 3339 in UTC with a literal Z, as STIX 2.1 requires (section 3.2); any number of fractional digits.</summary>
    public static bool TryParse(string s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20 || s[^1] != 'Z' || s[10] != 'T')
        {
            return false;
        }
        return DateTimeOffset.TryParseExact(s, Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.f'Z'", "yyyy-MM-dd'T'HH:mm:ss.ff'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ss.ffff'Z'", "yyyy-MM-dd'T'HH:mm:ss.fffff'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'",
    ];

    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
