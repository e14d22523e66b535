using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Stix.Upgrade;

/// <summary>
/// A 2.0 observed-data's <c>objects</c> (a dictionary of observables keyed "0", "1", …, whose <c>*_ref(s)</c> name
/// other keys) → top-level STIX 2.1 SCOs:
/// <list type="bullet">
/// <item>ids are deterministic (STIX 2.1 section 2.9: UUIDv5 in the SCO namespace over the type's ID Contributing
/// Properties, <see cref="ScoId"/>), computed with the refs among those properties already rewritten to ids, so an
/// observable's id does not depend on the key it had; an observable with none of its type's contributing properties
/// (a process, always) gets a UUIDv5 of the observed-data's id and its key, stable when the same object is sent again;</item>
/// <item>every <c>*_ref</c>/<c>*_refs</c> naming a key is rewritten to that key's new id (anywhere in the observable,
/// extensions included); a key that is not in the dictionary, or a cycle of contributing refs, cannot be upgraded;</item>
/// <item>2.0 property names 2.1 renamed are renamed (<see cref="Renamed"/>); a 2.0 property 2.1 removed, or an observable
/// type 2.1 does not define, cannot be upgraded (the object is rejected with the path, rather than dropping data);</item>
/// <item>each observable gets the observed-data's <c>object_marking_refs</c> (and ThreatGraph recipients): who may
/// see an observation may see what it observed, nobody else.</item>
/// </list>
/// </summary>
public static class Stix20Observables
{
    /// <summary>2.0 SCO properties that 2.1 renamed (STIX 2.0 part 4 vs STIX 2.1 section 6).</summary>
    static readonly Dictionary<string, Dictionary<string, string>> Renamed = new(StringComparer.Ordinal)
    {
        ["file"] = new() { ["created"] = "ctime", ["modified"] = "mtime", ["accessed"] = "atime" },
        ["directory"] = new() { ["created"] = "ctime", ["modified"] = "mtime", ["accessed"] = "atime" },
        ["process"] = new() { ["created"] = "created_time", ["binary_ref"] = "image_ref" },
        ["user-account"] = new() { ["password_last_changed"] = "credential_last_changed" },
        ["windows-registry-key"] = new() { ["modified"] = "modified_time" },
    };

    /// <summary>2.0 SCO properties with no place in 2.1, and why.</summary>
    static readonly Dictionary<string, Dictionary<string, string>> Removed = new(StringComparer.Ordinal)
    {
        ["file"] = new()
        {
            ["is_encrypted"] = "STIX 2.1 removed file.is_encrypted (encryption is described on an artifact)",
            ["encryption_algorithm"] = "STIX 2.1 moved encryption_algorithm from file to artifact",
            ["decryption_key"] = "STIX 2.1 moved decryption_key from file to artifact",
        },
        ["process"] = new()
        {
            ["name"] = "STIX 2.1 removed process.name (the image is named by image_ref)",
            ["arguments"] = "STIX 2.1 removed process.arguments (use command_line)",
        },
    };

    /// <summary>The observed-data's properties an observable inherits: who may see it.</summary>
    static readonly string[] Inherited = ["object_marking_refs", "x_threatgraph_recipients"];

    /// <summary>Takes <c>objects</c> out of <paramref name="observedData"/> (already in its 2.1 form), sets its
    /// <c>object_refs</c>, and returns the observables.</summary>
    /// <exception cref="Stix20UpgradeException">With the JSON path of the part that cannot be upgraded.</exception>
    public static IReadOnlyList<Stix20Observable> Extract(JsonObject observedData, string path)
    {
        var objectsPath = $"{path}.objects";
        if (observedData["objects"] is not JsonObject dictionary || dictionary.Count == 0)
        {
            throw new Stix20UpgradeException(objectsPath, "a STIX 2.0 observed-data's 'objects' must be a non-empty dictionary of observables");
        }
        if (observedData.ContainsKey("object_refs"))
        {
            throw new Stix20UpgradeException($"{path}.object_refs", "observed-data must not have both 'objects' and 'object_refs'");
        }
        if (observedData["granular_markings"] is JsonArray granular
            && granular.Any(g => g?["selectors"] is JsonArray sel && sel.Any(x => x?.ToString().StartsWith("objects", StringComparison.Ordinal) == true)))
        {
            // Fail closed: a marking on part of an observable cannot be carried to a 2.1 SCO's parts reliably.
            throw new Stix20UpgradeException($"{path}.granular_markings",
                "granular markings select parts of 'objects'; they cannot be carried to the upgraded observables. Mark the observables as STIX 2.1 objects");
        }
        var observedId = observedData["id"]?.ToString() ?? "";

        // 1. Each observable in its 2.1 form, refs still naming keys.
        var pending = new Dictionary<string, (string Path, JsonObject Sco)>(StringComparer.Ordinal);
        foreach (var (key, node) in dictionary)
        {
            var scoPath = objectsPath + Member(key);
            if (node is not JsonObject sco20)
            {
                throw new Stix20UpgradeException(scoPath, "each entry of 'objects' must be an observable (a JSON object)");
            }
            pending[key] = (scoPath, ToStix21(sco20, scoPath, observedData));
        }

        // 2. Ids in dependency order: an observable's id may depend on the ids its contributing refs name.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        while (ids.Count < pending.Count)
        {
            var progress = false;
            foreach (var (key, (scoPath, sco)) in pending)
            {
                if (ids.ContainsKey(key))
                {
                    continue;
                }
                var type = sco["type"]!.ToString();
                var contributingRefs = ScoId.IdContributingProperties(type)
                    .Where(p => sco[p] is not null && IsRef(p))
                    .SelectMany(p => KeysIn(sco[p]!)).ToList();
                foreach (var k in contributingRefs.Where(k => !pending.ContainsKey(k)))
                {
                    throw new Stix20UpgradeException(scoPath, $"refers to '{k}', which is not a key of this observed-data's 'objects'");
                }
                if (contributingRefs.Any(k => !ids.ContainsKey(k)))
                {
                    continue;
                }
                RewriteRefs(sco, scoPath, ids, pending, onlyResolved: true);
                ids[key] = ScoId.Compute(sco)
                    ?? $"{type}--{UuidV5.Create(ScoId.Namespace, $"{observedId}/objects/{key}"):D}";
                progress = true;
            }
            if (!progress)
            {
                var stuck = pending.First(p => !ids.ContainsKey(p.Key));
                throw new Stix20UpgradeException(stuck.Value.Path, "the observables' references form a cycle through their id-contributing properties; no deterministic id exists");
            }
        }

        // 3. Every ref rewritten, ids set.
        var result = new List<Stix20Observable>();
        foreach (var (key, (scoPath, sco)) in pending)
        {
            RewriteRefs(sco, scoPath, ids, pending, onlyResolved: false);
            var withId = new JsonObject { ["type"] = sco["type"]!.DeepClone(), ["spec_version"] = "2.1", ["id"] = ids[key] };
            foreach (var (name, value) in sco.ToList())
            {
                if (name != "type")
                {
                    sco.Remove(name);
                    withId[name] = value;
                }
            }
            result.Add(new Stix20Observable(key, scoPath, withId));
        }

        // object_refs where objects was.
        var refs = new JsonArray([.. ids.Values.Distinct(StringComparer.Ordinal).Select(id => (JsonNode)JsonValue.Create(id))]);
        var rebuilt = observedData.ToList();
        observedData.Clear();
        foreach (var (name, value) in rebuilt)
        {
            if (name == "objects")
            {
                observedData["object_refs"] = refs;
            }
            else
            {
                observedData[name] = value;
            }
        }
        return result;
    }

    static JsonObject ToStix21(JsonObject sco20, string scoPath, JsonObject observedData)
    {
        if (sco20["type"] is not JsonValue tv || !tv.TryGetValue(out string? type))
        {
            throw new Stix20UpgradeException($"{scoPath}.type", "an observable must have a 'type'");
        }
        if (!StixTypes.IsObservable(type))
        {
            throw new Stix20UpgradeException($"{scoPath}.type",
                $"'{type}' is not a STIX 2.1 cyber-observable type; a custom 2.0 observable cannot be upgraded (send it as a 2.1 SCO with its own id)");
        }
        if (sco20.ContainsKey("id"))
        {
            throw new Stix20UpgradeException($"{scoPath}.id", "a STIX 2.0 observable inside observed-data has no 'id' (its key names it)");
        }
        var sco = (JsonObject)sco20.DeepClone();
        if (Removed.TryGetValue(type, out var removed))
        {
            foreach (var (name, why) in removed)
            {
                if (sco.ContainsKey(name))
                {
                    throw new Stix20UpgradeException(scoPath + Member(name), $"{why}; the observable cannot be upgraded without losing it");
                }
            }
        }
        if (Renamed.TryGetValue(type, out var renamed))
        {
            foreach (var (from, to) in renamed)
            {
                if (sco[from] is { } value)
                {
                    if (sco.ContainsKey(to))
                    {
                        throw new Stix20UpgradeException(scoPath + Member(to), $"'{from}' (STIX 2.0) becomes '{to}' in 2.1, and both are present");
                    }
                    sco.Remove(from);
                    sco[to] = value;
                }
            }
        }
        foreach (var name in Inherited)
        {
            if (observedData[name] is { } value && !sco.ContainsKey(name))
            {
                sco[name] = value.DeepClone();
            }
        }
        return sco;
    }

    static bool IsRef(string name) => name.EndsWith("_ref", StringComparison.Ordinal) || name.EndsWith("_refs", StringComparison.Ordinal);

    static IEnumerable<string> KeysIn(JsonNode value) => value switch
    {
        JsonValue v when v.TryGetValue(out string? k) => [k],
        JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue(out string? k) ? k : null).OfType<string>(),
        _ => [],
    };

    /// <summary>Rewrites every <c>*_ref(s)</c> in the observable, nested ones (extensions) too, from keys to ids. With
    /// <paramref name="onlyResolved"/>, keys without an id yet are left (a first pass for the id computation).</summary>
    static void RewriteRefs(JsonNode node, string nodePath, Dictionary<string, string> ids,
        Dictionary<string, (string Path, JsonObject Sco)> keys, bool onlyResolved)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } item and (JsonObject or JsonArray))
                {
                    RewriteRefs(item, $"{nodePath}[{i}]", ids, keys, onlyResolved);
                }
            }
            return;
        }
        if (node is not JsonObject obj)
        {
            return;
        }
        foreach (var (name, value) in obj.ToList())
        {
            var path = nodePath + Member(name);
            if (value is null || Inherited.Contains(name))
            {
                continue;
            }
            if (name.EndsWith("_ref", StringComparison.Ordinal) && value is JsonValue v && v.TryGetValue(out string? key))
            {
                obj[name] = Resolve(key, path);
            }
            else if (name.EndsWith("_refs", StringComparison.Ordinal) && value is JsonArray refs)
            {
                for (var i = 0; i < refs.Count; i++)
                {
                    if (refs[i] is JsonValue rv && rv.TryGetValue(out string? k))
                    {
                        refs[i] = Resolve(k, $"{path}[{i}]");
                    }
                }
            }
            else if (value is JsonObject or JsonArray)
            {
                RewriteRefs(value, path, ids, keys, onlyResolved);
            }
        }

        string Resolve(string key, string path)
        {
            if (ids.TryGetValue(key, out var id))
            {
                return id;
            }
            if (keys.ContainsKey(key) && onlyResolved)
            {
                return key;
            }
            if (keys.ContainsKey(key) || ids.ContainsValue(key))
            {
                return key; // already an id (second pass over a ref rewritten in the first)
            }
            throw new Stix20UpgradeException(path, $"refers to '{key}', which is not a key of this observed-data's 'objects'");
        }
    }

    /// <summary>A member's JSON path step: <c>.name</c>, or <c>['0']</c> for a key that is not a plain name.</summary>
    static string Member(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') && !char.IsAsciiDigit(name[0]) ? "." + name : $"['{name}']";
}
