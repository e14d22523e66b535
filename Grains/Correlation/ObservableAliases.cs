using ThreatGraph.Contracts.Security;
using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// Observable aliases for one ingest: SCOs of the request whose id is not the canonical one (random UUIDv4, or a
/// deterministic id over a non-normalised value) are registered as aliases and their canonical nodes written; refs in
/// the request to known aliases are looked up in one call, so edges land on the canonical node.
/// </summary>
public sealed class ObservableAliases
{
    readonly Dictionary<string, string> _map = new(StringComparer.Ordinal);
    readonly Dictionary<string, JsonObject> _canonicalObjects = new(StringComparer.Ordinal);
    readonly Dictionary<string, StixObject> _reportedAs = new(StringComparer.Ordinal);

    /// <summary>Alias id → canonical id, for every alias this request declares or refers to.</summary>
    public IReadOnlyDictionary<string, string> Map => _map;

    public static async Task<ObservableAliases> PrepareAsync(IGrainFactory grains, IEnumerable<StixObject> objects)
    {
        var result = new ObservableAliases();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in objects)
        {
            if (StixTypes.IsObservable(obj.Type))
            {
                var normal = ObservableNormalizer.Normalize(obj.Json);
                if (ScoId.Compute(normal) is { } canonical && canonical != obj.Id)
                {
                    result._map[obj.Id] = canonical;
                    result._canonicalObjects.TryAdd(canonical, CanonicalObject(obj.Type, canonical, normal));
                    result._reportedAs.TryAdd(canonical, obj);
                }
            }
            foreach (var r in obj.EmbeddedRefs())
            {
                AddIfObservable(referenced, r.TargetId);
            }
            if (obj.Kind == StixKind.Relationship)
            {
                AddIfObservable(referenced, obj.GetString("source_ref"));
                AddIfObservable(referenced, obj.GetString("target_ref"));
            }
        }
        referenced.ExceptWith(result._map.Keys);
        // The registry groups lookups and registrations by partition (one call per touched partition).
        var registry = grains.GetGrain<IAliasRegistryGrain>(IAliasRegistryGrain.DefaultKey);
        if (referenced.Count > 0)
        {
            foreach (var (alias, canonical) in await registry.ResolveAsync([.. referenced]))
            {
                result._map[alias] = canonical;
            }
        }
        if (result._canonicalObjects.Count > 0)
        {
            await registry.RegisterAsync(result._map.Where(x => result._canonicalObjects.ContainsKey(x.Value))
                .ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal));
        }
        return result;
    }

    /// <summary>Writes the canonical observable nodes (normal form, id-contributing properties only) and indexes them,
    /// with the access of the report that named them (an alias SCO carries its reporter's markings to its canonical node).</summary>
    public async Task WriteCanonicalNodesAsync(IGrainFactory grains, Func<StixObject, AccessDescriptor> accessOf,
        Action<string, UpsertResult>? upserted = null)
    {
        var indexed = new List<IndexEntry>();
        foreach (var (id, json) in _canonicalObjects)
        {
            var obj = new StixObject(json);
            var access = accessOf(_reportedAs[id]);
            var result = await grains.GetNode(id).UpsertAsync(new StixObjectVersion(id, obj.Type, obj.ToJsonString(), null, false, [], [], access, obj.Name));
            upserted?.Invoke(id, result);
            if (result.Index is { } entry)
            {
                indexed.Add(entry);
            }
        }
        if (indexed.Count > 0)
        {
            await grains.GetGrain<ISearchIndexGrain>(0).UpsertAsync(indexed); // one call per touched partition
        }
    }

    static void AddIfObservable(HashSet<string> set, string? id)
    {
        if (id is not null && StixTypes.TypeOfId(id) is { } type && StixTypes.IsObservable(type))
        {
            set.Add(id);
        }
    }

    static JsonObject CanonicalObject(string type, string id, JsonObject normal)
    {
        var o = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["id"] = id };
        foreach (var p in ScoId.IdContributingProperties(type))
        {
            if (normal[p] is { } v)
            {
                o[p] = v.DeepClone();
            }
        }
        return o;
    }
}
