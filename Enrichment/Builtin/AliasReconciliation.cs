using System.Text.Json.Nodes;
using ThreatGraph.Stix;

namespace ThreatGraph.Enrichment.Builtin;

/// <summary>
/// Finds reports of the same entity under matching names: intrusion sets and threat actors (with each other), and
/// malware (with malware), whose name or an alias has the same <see cref="AliasKey"/> (case, spacing and punctuation
/// ignored). They are linked, never merged, by a <c>related-to</c> relationship whose description starts
/// <c>same entity: </c> and lists every matching pair of names. The relationship runs from the lower id to the higher,
/// stamped with the later of the two objects' version times, so either side's run writes the same object. An analyst
/// rejects a match with the GraphQL mutation <c>rejectEnrichment</c>: it is revoked and this job never writes it again.
/// </summary>
public sealed class AliasReconciliation : IEnricher
{
    public const string JobName = "alias-reconciliation";
    public const string EvidencePrefix = "same entity: ";

    static readonly string[] Actors = ["intrusion-set", "threat-actor"];
    static readonly string[] Malware = ["malware"];

    public string Name => JobName;

    public IReadOnlyCollection<string> ObjectTypes { get; } = [.. Actors, .. Malware];

    public async ValueTask<EnrichmentResult> EnrichAsync(EnrichmentInput input, IEnrichmentContext context, CancellationToken cancellationToken)
    {
        var kin = input.Type == "malware" ? Malware : Actors;
        var names = AliasKey.NamesOf(input.Stix).Select(n => (Name: n, Key: AliasKey.Of(n))).Where(n => n.Key.Length > 0).ToList();
        var matches = new Dictionary<string, (EnrichmentInput Other, SortedSet<string> Pairs)>(StringComparer.Ordinal);
        foreach (var key in names.Select(n => n.Key).Distinct())
        {
            foreach (var other in await context.FindByAliasKeyAsync(key, kin, cancellationToken))
            {
                if (other.Id == input.Id)
                {
                    continue;
                }
                if (!matches.TryGetValue(other.Id, out var match))
                {
                    matches[other.Id] = match = (other, new SortedSet<string>(StringComparer.Ordinal));
                }
                var otherNames = AliasKey.NamesOf(other.Stix).Where(n => AliasKey.Of(n) == key);
                foreach (var (mine, theirs) in names.Where(n => n.Key == key).SelectMany(n => otherNames.Select(o => (n.Name, o))))
                {
                    // The same text whichever side runs: the lower id's name first.
                    match.Pairs.Add(string.CompareOrdinal(input.Id, other.Id) < 0 ? $"\"{mine}\" = \"{theirs}\"" : $"\"{theirs}\" = \"{mine}\"");
                }
            }
        }
        return new EnrichmentResult([.. matches.Values.Select(m => Relationship(input, m.Other, m.Pairs, context.Now))]);
    }

    static JsonObject Relationship(EnrichmentInput a, EnrichmentInput b, IEnumerable<string> pairs, DateTimeOffset inputStamp)
    {
        var (source, target) = string.CompareOrdinal(a.Id, b.Id) < 0 ? (a, b) : (b, a);
        var stamp = Later(inputStamp, Stamp(b.Stix));
        return RelatedTo.Create(JobName, source.Id, target.Id, EvidencePrefix + "alias " + string.Join(", ", pairs), stamp);
    }

    static DateTimeOffset? Stamp(JsonObject stix) =>
        (stix["modified"] ?? stix["created"]) is JsonValue v && v.TryGetValue(out string? s) && StixTimestamp.TryParse(s, out var t) ? t : null;

    static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } x && x > a ? x : a;
}
