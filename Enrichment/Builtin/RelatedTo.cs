using System.Text.Json.Nodes;
using ThreatGraph.Stix;

namespace ThreatGraph.Enrichment.Builtin;

/// <summary>The <c>related-to</c> relationship the built-in jobs write, its id named by the job and both ends
/// (<see cref="EnrichmentIds"/>), stamped <paramref name="at"/> so that a rerun writes the same object.</summary>
public static class RelatedTo
{
    public static JsonObject Create(string job, string source, string target, string description, DateTimeOffset at) => new()
    {
        ["type"] = "relationship",
        ["spec_version"] = "2.1",
        ["id"] = EnrichmentIds.Relationship(job, "related-to", source, target),
        ["created"] = StixTimestamp.Format(at),
        ["modified"] = StixTimestamp.Format(at),
        ["relationship_type"] = "related-to",
        ["source_ref"] = source,
        ["target_ref"] = target,
        ["description"] = description,
    };
}
