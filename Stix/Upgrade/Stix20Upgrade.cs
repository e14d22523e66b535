using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Upgrade;

/// <summary>A STIX 2.0 object upgraded to 2.1.</summary>
/// <param name="Object">The object in its STIX 2.1 form (a new JSON tree; the original is not changed).</param>
/// <param name="Observables">For a 2.0 observed-data: the observables of its <c>objects</c> as top-level 2.1 SCOs, in
/// the order of the dictionary's keys; empty otherwise.</param>
/// <param name="Changes">What was changed, in words, for the ingest warning.</param>
public sealed record Stix20Upgrade(JsonObject Object, IReadOnlyList<Stix20Observable> Observables, IReadOnlyList<string> Changes);

/// <summary>One observable taken out of a 2.0 observed-data's <c>objects</c>.</summary>
/// <param name="Key">Its key in <c>objects</c> (<c>"0"</c>, <c>"1"</c>, …).</param>
/// <param name="Path">JSON path of the 2.0 observable, for messages.</param>
public sealed record Stix20Observable(string Key, string Path, JsonObject Object);

/// <summary>Why an object cannot be upgraded, at which JSON path of the 2.0 object.</summary>
public sealed class Stix20UpgradeException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;
}
