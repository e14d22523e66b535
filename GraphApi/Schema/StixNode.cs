using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Stix;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>A node as GraphQL resolvers see it: the grain's view plus its STIX JSON parsed on first use.</summary>
public sealed class StixNode(NodeView view)
{
    JsonObject? _json;

    public NodeView View => view;
    public string Id => view.Id;
    public string Type => view.Type;
    public bool IsPlaceholder => view.IsPlaceholder;

    public JsonObject? Json => _json ??= view.Json is null ? null : JsonNode.Parse(view.Json, documentOptions: StixJson.DocumentOptions) as JsonObject;

    public string? String(string property) =>
        Json?[property] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public bool? Bool(string property) =>
        Json?[property] is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    public long? Long(string property) =>
        Json?[property] is JsonValue v && v.TryGetValue(out long n) ? n : null;

    public IReadOnlyList<string> Strings(string property) =>
        Json?[property] is JsonArray a
            ? [.. a.Select(x => x is JsonValue v && v.TryGetValue(out string? s) ? s : null).OfType<string>()]
            : [];
}
