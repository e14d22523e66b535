using System.Text.Json.Nodes;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>
/// Where an object comes from, as a deployment tells its peers: <c>x_threatgraph_provenance</c> is added to each object
/// served to a federation key and taken off again by the receiver (it is never stored as part of the object, so the
/// content stays what its author wrote).
/// </summary>
/// <param name="Deployment">The deployment it was first reported to.</param>
/// <param name="Org">The organisation that reported it there.</param>
/// <param name="Tlp">Its TLP there (its marking, or the reporter's default when unmarked).</param>
/// <param name="ReportedAt">When it arrived at that first deployment.</param>
/// <param name="DateAdded">When this version was added to the collection it is served from (the sender's date_added).</param>
public sealed record Provenance(string Deployment, string Org, TlpLevel Tlp, DateTimeOffset ReportedAt, DateTimeOffset DateAdded)
{
    public const string Property = ObjectOrigin.Property;

    static readonly Dictionary<TlpLevel, string> TlpNames = new()
    {
        [TlpLevel.Clear] = "clear", [TlpLevel.Green] = "green", [TlpLevel.Amber] = "amber",
        [TlpLevel.AmberStrict] = "amber+strict", [TlpLevel.Red] = "red",
    };

    public static string NameOf(TlpLevel tlp) => TlpNames[tlp];

    /// <summary>The TLP a name (clear, green, amber, amber+strict, red; any case) stands for; null when none.</summary>
    public static TlpLevel? TlpOf(string? name) =>
        TlpNames.FirstOrDefault(t => string.Equals(t.Value, name?.Trim(), StringComparison.OrdinalIgnoreCase)) is { Value: not null } hit ? hit.Key : null;

    /// <summary>The object's JSON with this provenance added (replacing any the sender held).</summary>
    public string AddTo(string objectJson)
    {
        var obj = JsonNode.Parse(objectJson)!.AsObject();
        obj[Property] = new JsonObject
        {
            ["deployment"] = Deployment,
            ["organisation"] = Org,
            ["tlp"] = NameOf(Tlp),
            ["reported"] = TaxiiTimestamp.Format(ReportedAt),
            ["date_added"] = TaxiiTimestamp.Format(DateAdded),
        };
        return obj.ToJsonString();
    }

    /// <summary>Removes the provenance from a received object and reads it.</summary>
    /// <returns>Null and an error when it is missing or malformed.</returns>
    public static (Provenance? Provenance, string? Error) TakeFrom(JsonObject obj)
    {
        var node = obj[Property];
        obj.Remove(Property);
        if (node is not JsonObject p)
        {
            return (null, $"no {Property}: only ThreatGraph peers' objects carry who reported them");
        }
        var tlpName = Text(p, "tlp");
        var tlp = TlpNames.FirstOrDefault(t => t.Value == tlpName);
        if (Text(p, "deployment") is not { Length: > 0 } deployment || Text(p, "organisation") is not { Length: > 0 } org
            || tlpName is null || tlp.Value is null
            || !StixTimestamp.TryParse(Text(p, "reported") ?? "", out var reported) || !StixTimestamp.TryParse(Text(p, "date_added") ?? "", out var added))
        {
            return (null, $"malformed {Property}: {p.ToJsonString()}");
        }
        return (new Provenance(deployment, org, tlp.Key, reported, added), null);
    }

    static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
