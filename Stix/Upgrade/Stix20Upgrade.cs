using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Upgrade;

/// <summary>A STIX 2.0 object upgraded to 2.1.</summary>
/// <param name="Object">The object in its STIX 2.1 form (a new JSON tree; the original is not changed).</param>
/// <param name="Observables">For a 2.0 observed-data: the observables of its <c>objects</c> as top-level 2.1 SCOs, in
/// the order of the dictionary's keys; empty otherwise.</param>
/// <param name="Changes">What was changed, in words, for the ingest warning.</param>
public sealed record Stix20Upgrade(JsonObject Object, IReadOnlyList<Stix20Observable> Observables, IReadOnlyList<string> Changes);
