using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ThreatGraph.Stix;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>A job whose behaviour depends on the input's name: <c>fine</c> derives a note; <c>throws</c> throws;
/// <c>hangs</c> never answers (and ignores its token); <c>garbage</c> derives a valid note and an invalid object.</summary>
public sealed class TroubledEnricher : IEnricher
{
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    public string Name => "troubled-test";

    public IReadOnlyCollection<string> ObjectTypes { get; } = ["x-troubled"];

    public static string NoteOf(string id) => EnrichmentIds.Derived("note", "troubled-test", id);

    public async ValueTask<EnrichmentResult> EnrichAsync(EnrichmentInput input, IEnrichmentContext context, CancellationToken cancellationToken)
    {
        var name = input.Stix["name"]!.GetValue<string>();
        Calls.AddOrUpdate(name, 1, (_, n) => n + 1);
        switch (name)
        {
            case "throws":
                throw new InvalidOperationException("the enricher broke");
            case "hangs":
                await new TaskCompletionSource().Task;
                return EnrichmentResult.None;
            case "garbage":
                return new EnrichmentResult([Note(input, context), new JsonObject { ["type"] = "relationship", ["id"] = "relationship--not-a-uuid" }]);
            default:
                return new EnrichmentResult([Note(input, context)]);
        }
    }

    static JsonObject Note(EnrichmentInput input, IEnrichmentContext context) => new()
    {
        ["type"] = "note",
        ["spec_version"] = "2.1",
        ["id"] = NoteOf(input.Id),
        ["created"] = StixTimestamp.Format(context.Now),
        ["modified"] = StixTimestamp.Format(context.Now),
        ["content"] = "looked at",
        ["object_refs"] = new JsonArray(input.Id),
    };
}
