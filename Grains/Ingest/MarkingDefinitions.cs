using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Ingest;

/// <summary>
/// The marking-definitions an ingest's objects refer to, beyond the TLP ids: those sent in the same request, else the
/// stored ones (one read per distinct id). Tells <see cref="MarkingInterpreter"/> which are statement markings; an id
/// known nowhere is unknown, and the objects it marks fail closed.
/// </summary>
public static class MarkingDefinitions
{
    public static async Task<Func<string, MarkingDefinitionKind?>> ResolveAsync(IGrainFactory grains, IEnumerable<StixObject> objects)
    {
        var list = objects.ToList();
        var known = new Dictionary<string, MarkingDefinitionKind?>(StringComparer.Ordinal);
        foreach (var obj in list.Where(o => o.Kind == StixKind.MarkingDefinition))
        {
            known[obj.Id] = MarkingInterpreter.KindOf(obj.Json);
        }
        var missing = list.SelectMany(MarkingRefs)
            .Where(r => !Tlp.AnyVersionById.ContainsKey(r) && !known.ContainsKey(r) && StixId.IsValid(r, "marking-definition"))
            .Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            var views = await CallerContext.AsSystemAsync(() => Task.WhenAll(missing.Select(id => grains.GetNode(id).GetViewAsync())));
            for (var i = 0; i < missing.Count; i++)
            {
                known[missing[i]] = views[i]?.Json is { } json ? MarkingInterpreter.KindOf(StixObject.Parse(json).Json) : null;
            }
        }
        return id => known.GetValueOrDefault(id);
    }

    static IEnumerable<string> MarkingRefs(StixObject obj) =>
        obj.ObjectMarkingRefs.Concat(obj.Json["granular_markings"] is System.Text.Json.Nodes.JsonArray g
            ? g.Select(x => x?["marking_ref"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? x["marking_ref"]!.GetValue<string>() : null).OfType<string>()
            : []);
}
