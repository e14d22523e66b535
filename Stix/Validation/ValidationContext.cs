using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Validation;

/// <summary>The object under validation, what it is, and the issues found so far.</summary>
internal sealed class ValidationContext
{
    public const string NewSdo = "new-sdo";
    public const string NewSco = "new-sco";
    public const string NewSro = "new-sro";
    public const string ToplevelPropertyExtension = "toplevel-property-extension";

    readonly List<StixIssue> _issues = [];

    public ValidationContext(JsonObject obj, string basePath)
    {
        Obj = obj;
        BasePath = basePath;
        Id = GetString("id");
        Type = GetString("type") ?? "";
        ExtensionTypes = ReadExtensionTypes(obj);
        IsSpecType = SpecProperties.IsSpecType(Type);
        IsExtensionDefinedType = !IsSpecType && (ExtensionTypes.Contains(NewSdo) || ExtensionTypes.Contains(NewSco) || ExtensionTypes.Contains(NewSro));
        Category = Type switch
        {
            "relationship" or "sighting" => ObjectCategory.Sro,
            "marking-definition" => ObjectCategory.MarkingDefinition,
            "language-content" => ObjectCategory.LanguageContent,
            "extension-definition" => ObjectCategory.ExtensionDefinition,
            _ when StixTypes.IsObservable(Type) => ObjectCategory.Sco,
            _ when !IsSpecType && ExtensionTypes.Contains(NewSco) => ObjectCategory.Sco,
            _ when !IsSpecType && ExtensionTypes.Contains(NewSro) => ObjectCategory.Sro,
            _ => ObjectCategory.Sdo,
        };
    }

    public JsonObject Obj { get; }
    public string BasePath { get; }
    public string? Id { get; }
    public string Type { get; }
    public ObjectCategory Category { get; }

    /// <summary>One of the object types STIX 2.1 itself defines (SDO, SRO, SCO, SMO).</summary>
    public bool IsSpecType { get; }

    /// <summary>A type that is not in STIX 2.1 but is defined by an extension-definition (new-sdo/new-sco/new-sro).</summary>
    public bool IsExtensionDefinedType { get; }

    /// <summary>The extension_type of every extension-definition extension the object carries.</summary>
    public IReadOnlySet<string> ExtensionTypes { get; }

    public IReadOnlyList<StixIssue> Issues => _issues;

    public string PathOf(string property) => BasePath + "." + property;

    public void Error(string path, string message) => _issues.Add(new(Id, path, message, IssueSeverity.Error));

    public void Warning(string path, string message) => _issues.Add(new(Id, path, message, IssueSeverity.Warning));

    public bool Has(string property) => Obj.ContainsKey(property);

    public string? GetString(string property) => AsString(Obj[property]);

    public static string? AsString(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static bool IsBoolean(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    /// <summary>An integral JSON number, whether the node was parsed or built in code (JsonValue&lt;int&gt; etc.).</summary>
    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    static HashSet<string> ReadExtensionTypes(JsonObject obj)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (obj["extensions"] is JsonObject extensions)
        {
            foreach (var (key, value) in extensions)
            {
                if (key.StartsWith("extension-definition--", StringComparison.Ordinal) && value is JsonObject ext
                    && AsString(ext["extension_type"]) is { } extensionType)
                {
                    result.Add(extensionType);
                }
            }
        }
        return result;
    }
}
