using System.Text.Json.Nodes;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>One page of a plain TAXII server, reduced to what this poll has not pulled yet.</summary>
/// <param name="Fresh">The page's objects not already pulled in this poll (by id and version).</param>
/// <param name="Checkpoint">Where the checkpoint stands once the page is applied.</param>
public sealed record PlainPage(PulledPage Page, IReadOnlyList<JsonObject> Fresh, DateTimeOffset? Checkpoint);
