using System.Text.Json.Nodes;

namespace ThreatGraph.Enrichment;

/// <summary>One object handed to a job: its id, type and current STIX JSON (a copy the job may read, not change).</summary>
public sealed record EnrichmentInput(string Id, string Type, JsonObject Stix);
