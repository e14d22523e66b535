using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Grains.Enrichment;

/// <summary>
/// The access floor of what a job derives from one input: the input's TLP (or the derived object's own, when stricter)
/// as an explicit TLP marking, the input's other markings, and recipients so that whoever may see the input at AMBER or
/// RED still sees what was derived from it (its reporting organisation or member, and its named recipients). Whatever
/// the derived object references is guarded by the graph itself: an edge is shown only to readers who see both ends.
/// </summary>
public static class DerivedAccess
{
    public static void Apply(JsonObject derived, AccessDescriptor input, IReadOnlyList<string> inputMarkings)
    {
        var own = Strings(derived, "object_marking_refs");
        var tlp = Max(input.Tlp, Tlp.Strictest(own));
        var markings = own.Concat(inputMarkings).Where(m => !Tlp.AnyVersionById.ContainsKey(m))
            .Append(TlpId(tlp)).Distinct(StringComparer.Ordinal).ToList();
        derived["object_marking_refs"] = new JsonArray([.. markings.Select(m => (JsonNode)JsonValue.Create(m))]);

        var recipients = Strings(derived, AccessDescriptor.RecipientsProperty).Concat(input.Recipients);
        recipients = tlp switch
        {
            TlpLevel.Red => recipients.Append(input.OwnerMember),
            TlpLevel.Amber or TlpLevel.AmberStrict => recipients.Append(input.OwnerOrg),
            _ => recipients,
        };
        var list = recipients.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count > 0)
        {
            derived[AccessDescriptor.RecipientsProperty] = new JsonArray([.. list.Select(r => (JsonNode)JsonValue.Create(r))]);
        }
    }

    static TlpLevel Max(TlpLevel a, TlpLevel? b) => b is { } x && x > a ? x : a;

    static string TlpId(TlpLevel level) => level switch
    {
        TlpLevel.Clear => Tlp.ClearId,
        TlpLevel.Green => Tlp.GreenId,
        TlpLevel.Amber => Tlp.AmberId,
        TlpLevel.AmberStrict => Tlp.AmberStrictId,
        _ => Tlp.RedId,
    };

    static IEnumerable<string> Strings(JsonObject obj, string property) =>
        obj[property] is JsonArray a ? a.OfType<JsonValue>().Select(v => v.TryGetValue(out string? s) ? s : null).OfType<string>() : [];
}
