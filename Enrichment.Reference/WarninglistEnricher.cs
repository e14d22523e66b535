using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Warninglists;

namespace ThreatGraph.Enrichment.Reference;

/// <summary>
/// <c>warninglist</c>: an observable on one or more warninglists (the lists of the over-correlation guard:
/// <see cref="BuiltinWarninglists"/>, plus MISP's when the host loads them) → one <c>note</c> about it, naming each list
/// and the entry that matched, with a <c>warninglist:&lt;key&gt;</c> label per list, so an analyst sees why the value
/// is known-benign (and why it does not correlate). One note per observable (its id is derived from the observable's),
/// rewritten when the lists change.
/// </summary>
public sealed class WarninglistEnricher(Warninglists lists) : IEnricher
{
    public const string JobName = "warninglist";

    public string Name => JobName;

    public IReadOnlyCollection<string> ObjectTypes { get; } =
        ["ipv4-addr", "ipv6-addr", "domain-name", "url", "file", "artifact", "x509-certificate"];

    public ValueTask<EnrichmentResult> EnrichAsync(EnrichmentInput input, IEnrichmentContext context, CancellationToken cancellationToken)
    {
        // The lists match normal forms (as the correlation guard sees the observable).
        var matches = lists.Matches(ObservableNormalizer.Normalize(input.Stix))
            .DistinctBy(m => m.List.Key, StringComparer.Ordinal)
            .ToList();
        if (matches.Count == 0)
        {
            return ValueTask.FromResult(EnrichmentResult.None);
        }
        var content = new StringBuilder("Known-benign value: on ").Append(matches.Count == 1 ? "a warninglist" : $"{matches.Count} warninglists")
            .Append(" of known-benign values.");
        foreach (var m in matches)
        {
            content.Append('\n').Append("- ").Append(m.List.Key).Append(" (").Append(m.List.Name).Append("): matched ").Append(m.Entry);
        }
        var note = DerivedObjects.Sdo("note", JobName, input.Id, context.Now,
            ("abstract", "On warninglist " + string.Join(", ", matches.Select(m => m.List.Key))),
            ("content", content.ToString()),
            ("object_refs", new JsonArray(input.Id)),
            ("labels", new JsonArray([.. matches.Select(m => (JsonNode)("warninglist:" + m.List.Key))])));
        return ValueTask.FromResult(new EnrichmentResult([note]));
    }
}
