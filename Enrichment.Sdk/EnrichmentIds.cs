using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Enrichment;

/// <summary>Deterministic ids for what jobs derive, so a rerun writes the same object again (unchanged) instead of a
/// duplicate. SCOs use STIX's own deterministic ids (<see cref="ObservableNormalizer.CanonicalId(string, string, string)"/>).</summary>
public static class EnrichmentIds
{
    /// <summary>Namespace of ThreatGraph enrichment ids (UUIDv5).</summary>
    public static readonly Guid Namespace = new("5e0c3a51-7f0e-4d2b-9a61-2f3c8d0b7e14");

    /// <summary><c>relationship--…</c> named by the job, the relationship type and both ends.</summary>
    public static string Relationship(string job, string relationshipType, string sourceRef, string targetRef) =>
        "relationship--" + UuidV5.Create(Namespace, string.Join('\n', job, relationshipType, sourceRef, targetRef));

    /// <summary><c>{type}--…</c> for another SDO a job derives (e.g. a note), named by the job and a key unique within it.</summary>
    public static string Derived(string type, string job, string key) =>
        type + "--" + UuidV5.Create(Namespace, string.Join('\n', job, type, key));
}
