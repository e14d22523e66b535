using System.Text.Json.Nodes;
using ThreatGraph.Enrichment;
using ThreatGraph.Stix;

namespace MyTeam.Enrichment;

/// <summary>Reminds analysts that an indicator never expires: a note on every indicator without valid_until.</summary>
public sealed class ExpiryNoteEnricher : IEnricher
{
    public string Name => "expiry-note";

    public IReadOnlyCollection<string> ObjectTypes { get; } = ["indicator"];

    public ValueTask<EnrichmentResult> EnrichAsync(EnrichmentInput input, IEnrichmentContext context, CancellationToken cancellationToken)
    {
        if (input.Stix.ContainsKey("valid_until"))
        {
            return ValueTask.FromResult(EnrichmentResult.None);
        }
        var note = new JsonObject
        {
            ["type"] = "note",
            ["spec_version"] = "2.1",
            ["id"] = EnrichmentIds.Derived("note", Name, input.Id), // the same id on every run: reruns add nothing
            ["created"] = StixTimestamp.Format(context.Now),
            ["modified"] = StixTimestamp.Format(context.Now),
            ["content"] = "This indicator has no valid_until: it never expires.",
            ["object_refs"] = new JsonArray(input.Id),
        };
        return ValueTask.FromResult(new EnrichmentResult([note]));
    }
}
