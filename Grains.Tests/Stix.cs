using System.Text.Json.Nodes;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.TestSupport;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Tests;

/// <summary>Test shorthand: the shared STIX builders plus an ingest request made of objects.</summary>
public static class Stix
{
    public static string NewId(string type) => StixBuilder.NewId(type);

    public static JsonObject Sdo(string type, string? id = null, string modified = "2024-01-01T00:00:00.000Z", string? name = null) =>
        StixBuilder.Sdo(type, id, modified, name);

    public static JsonObject Relationship(string source, string kind, string target, string? id = null) =>
        StixBuilder.Relationship(source, kind, target, id);

    public static IngestRequest Request(params JsonObject[] objects) =>
        new(null, [.. objects.Select((o, i) => new IngestEntry(i, $"$.objects[{i}]", o.ToJsonString()))]);
}
