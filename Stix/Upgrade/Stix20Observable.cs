using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Upgrade;

/// <summary>One observable taken out of a 2.0 observed-data's <c>objects</c>.</summary>
/// <param name="Key">Its key in <c>objects</c> (<c>"0"</c>, <c>"1"</c>, …).</param>
/// <param name="Path">JSON path of the 2.0 observable, for messages.</param>
public sealed record Stix20Observable(string Key, string Path, JsonObject Object);
