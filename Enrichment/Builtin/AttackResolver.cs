using System.Text.Json.Nodes;

namespace ThreatGraph.Enrichment.Builtin;

/// <summary>
/// Links an object that names an ATT&amp;CK id (<see cref="AttackIds"/>: in its external references, name or description)
/// to ATT&amp;CK's object of that id, with a <c>related-to</c> relationship from the object to ATT&amp;CK's whose description
/// says where the id was named. ATT&amp;CK's own objects are left alone (ATT&amp;CK links them itself), and an object is
/// never linked to itself. Sees only what the job's identity may see, like every lookup.
/// </summary>
public sealed class AttackResolver : IEnricher
{
    public const string JobName = "attack-resolver";

    public string Name => JobName;

    public IReadOnlyCollection<string> ObjectTypes { get; } =
    [
        "attack-pattern", "campaign", "course-of-action", "grouping", "incident", "indicator", "infrastructure",
        "intrusion-set", "malware", "note", "report", "threat-actor", "tool", "vulnerability",
    ];

    public async ValueTask<EnrichmentResult> EnrichAsync(EnrichmentInput input, IEnrichmentContext context, CancellationToken cancellationToken)
    {
        if (AttackIds.IsAttackObject(input.Stix))
        {
            return EnrichmentResult.None;
        }
        var derived = new List<JsonObject>();
        foreach (var (attackId, evidence) in AttackIds.Named(input.Stix))
        {
            foreach (var target in await context.FindByExternalIdAsync(attackId, cancellationToken))
            {
                if (target.Id != input.Id && AttackIds.IsAttackObject(target.Stix, attackId))
                {
                    derived.Add(RelatedTo.Create(JobName, input.Id, target.Id, $"ATT&CK {attackId} named in {evidence}", context.Now));
                }
            }
        }
        return new EnrichmentResult(derived);
    }
}
