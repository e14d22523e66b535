using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Enrichment.Reference.Tests;

/// <summary>What the host would give a job, and the checks every enricher's output must pass.</summary>
sealed class TestContext : IEnrichmentContext
{
    public string IdentityId => "identity--5b4b2e0c-3c1a-4d5e-9f7a-0a1b2c3d4e5f";

    public DateTimeOffset Now { get; } = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static readonly TestContext Instance = new();

    /// <summary>An SCO input as the host hands it: its canonical id over its value.</summary>
    public static EnrichmentInput Observable(string type, string value, params string[] markings)
    {
        var stix = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["value"] = value };
        stix["id"] = ObservableNormalizer.CanonicalId(stix) ?? ScoId.Compute(stix);
        if (markings.Length > 0)
        {
            stix["object_marking_refs"] = new JsonArray([.. markings.Select(m => (JsonNode)m)]);
        }
        return new EnrichmentInput(stix["id"]!.GetValue<string>(), type, stix);
    }

    /// <summary>Runs the enricher twice on the input: both runs must give the same JSON (so a rerun adds nothing), and
    /// every object must be valid STIX 2.1. The one warning allowed is the validator's SHOULD on UUIDv5 ids of SDOs and
    /// SROs: deterministic ids are what makes a rerun idempotent (<see cref="EnrichmentIds"/>).</summary>
    public static async Task<IReadOnlyList<JsonObject>> EnrichAsync(IEnricher enricher, EnrichmentInput input)
    {
        var first = (await enricher.EnrichAsync(input, Instance, CancellationToken.None)).Objects;
        var second = (await enricher.EnrichAsync(input, Instance, CancellationToken.None)).Objects;
        Assert.Equal(first.Select(o => o.ToJsonString()), second.Select(o => o.ToJsonString()));
        foreach (var o in first)
        {
            Assert.All(StixValidator.Validate(o), i => Assert.Contains("uses a version 5 UUID", i.Message, StringComparison.Ordinal));
        }
        return first;
    }

    public static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    public static string? Str(JsonObject o, string property) => o[property]?.GetValue<string>();
}
