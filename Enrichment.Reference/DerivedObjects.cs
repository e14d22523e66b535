using System.Text.Json.Nodes;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Enrichment.Reference;

/// <summary>The STIX 2.1 objects the reference enrichers return, built one way: SCOs with their deterministic ids, SDOs
/// and relationships stamped with the run's time (the host adds <c>created_by_ref</c> and the input's markings).</summary>
public static class DerivedObjects
{
    /// <summary>A single-valued SCO (<c>domain-name</c> + <c>value</c>, <c>autonomous-system</c> + <c>number</c>) with
    /// its canonical id.</summary>
    public static JsonObject Sco(string type, string property, JsonNode value)
    {
        var sco = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", [property] = value };
        sco["id"] = ObservableNormalizer.CanonicalId(sco)
            ?? throw new InvalidOperationException($"{type} has no deterministic id over {property}");
        return sco;
    }

    public static JsonObject Relationship(string job, string relationshipType, string sourceRef, string targetRef, string description, DateTimeOffset now) =>
        new()
        {
            ["type"] = "relationship",
            ["spec_version"] = "2.1",
            ["id"] = EnrichmentIds.Relationship(job, relationshipType, sourceRef, targetRef),
            ["created"] = StixTimestamp.Format(now),
            ["modified"] = StixTimestamp.Format(now),
            ["relationship_type"] = relationshipType,
            ["source_ref"] = sourceRef,
            ["target_ref"] = targetRef,
            ["description"] = description,
        };

    /// <summary>An SDO of <paramref name="type"/> with a job-derived id; <paramref name="properties"/> are added in order.</summary>
    public static JsonObject Sdo(string type, string job, string key, DateTimeOffset now, params (string Name, JsonNode Value)[] properties)
    {
        var sdo = new JsonObject
        {
            ["type"] = type,
            ["spec_version"] = "2.1",
            ["id"] = EnrichmentIds.Derived(type, job, key),
            ["created"] = StixTimestamp.Format(now),
            ["modified"] = StixTimestamp.Format(now),
        };
        foreach (var (name, value) in properties)
        {
            sdo[name] = value;
        }
        return sdo;
    }

    /// <summary>The string value of a property of the input, or null.</summary>
    public static string? String(JsonObject stix, string property) =>
        stix[property] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
