using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Stix;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>
/// The lookups of <see cref="IEnrichmentContext"/> for one pass of a job, answered by the search index and the node grains
/// as the job's identity (so they never return what it may not see), each asked once per pass. The alias directory
/// reads every visible object of the asked types once per pass: fine for the thousands of groups and malware a
/// deployment holds; an index of normalised alias keys is the next step beyond that.
/// </summary>
public sealed class EnrichmentLookups(IGrainFactory grains, JobIdentity identity)
{
    const int PageSize = 500;
    const int ReadChunk = 64;

    readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<EnrichmentInput>>>> _byExternalId = new(StringComparer.OrdinalIgnoreCase);
    readonly ConcurrentDictionary<string, Lazy<Task<ILookup<string, EnrichmentInput>>>> _aliases = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<EnrichmentInput>> FindByExternalIdAsync(string externalId) =>
        _byExternalId.GetOrAdd(externalId.Trim(), id => new(() => LoadByExternalIdAsync(id))).Value;

    public async Task<IReadOnlyList<EnrichmentInput>> FindByAliasKeyAsync(string key, IReadOnlyCollection<string> types)
    {
        var directory = await _aliases.GetOrAdd(string.Join(',', types.Order(StringComparer.Ordinal)),
            _ => new(() => LoadAliasDirectoryAsync(types))).Value;
        return [.. directory[key]];
    }

    async Task<IReadOnlyList<EnrichmentInput>> LoadByExternalIdAsync(string externalId)
    {
        // The index matches the id as an exact key and as part of names; only the exact external_id counts here.
        var found = await ReadAsync(await SearchAsync(null, externalId));
        return [.. found.Select(o => o.Input).Where(o => ExternalIds(o.Stix).Contains(externalId, StringComparer.OrdinalIgnoreCase))];
    }

    async Task<ILookup<string, EnrichmentInput>> LoadAliasDirectoryAsync(IReadOnlyCollection<string> types)
    {
        var objects = (await ReadAsync(await SearchAsync([.. types], null))).Select(o => o.Input);
        return objects.SelectMany(o => AliasKey.NamesOf(o.Stix).Select(AliasKey.Of).Where(k => k.Length > 0).Distinct().Select(k => (Key: k, Object: o)))
            .ToLookup(x => x.Key, x => x.Object, StringComparer.Ordinal);
    }

    /// <summary>Every id the index lists for the job's identity (all pages).</summary>
    public async Task<IReadOnlyList<string>> SearchAsync(IReadOnlyList<string>? types, string? text)
    {
        identity.Enter();
        var ids = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await grains.GetGrain<ISearchIndexGrain>(0).SearchAsync(new IndexQuery(types, text, false, after, PageSize));
            ids.AddRange(page.Ids);
            if (!page.HasNextPage || page.Ids.Count == 0)
            {
                return ids;
            }
            after = page.Ids[^1];
        }
    }

    /// <summary>The current JSON of each object the job's identity may see (unknown, hidden, revoked and placeholders left
    /// out), with its version time: <c>modified</c>, else <c>created</c>, else when it first arrived (observables).</summary>
    public async Task<IReadOnlyList<VisibleObject>> ReadAsync(IReadOnlyList<string> ids)
    {
        identity.Enter();
        var inputs = new List<VisibleObject>(ids.Count);
        foreach (var chunk in ids.Chunk(ReadChunk))
        {
            var views = await Task.WhenAll(chunk.Select(id => grains.GetNode(id).GetViewAsync()));
            foreach (var view in views)
            {
                if (view is { Json: { } json, Revoked: false } && JsonNode.Parse(json) is JsonObject stix)
                {
                    var stamp = Timestamp(stix, "modified") ?? Timestamp(stix, "created") ?? view.FirstSeen ?? DateTimeOffset.UnixEpoch;
                    inputs.Add(new VisibleObject(new EnrichmentInput(view.Id, view.Type, stix), stamp));
                }
            }
        }
        return inputs;
    }

    static DateTimeOffset? Timestamp(JsonObject stix, string property) =>
        stix[property] is JsonValue v && v.TryGetValue(out string? s) && StixTimestamp.TryParse(s, out var t) ? t : null;

    static IEnumerable<string> ExternalIds(JsonObject stix) =>
        stix["external_references"] is JsonArray refs
            ? refs.OfType<JsonObject>().Select(r => r["external_id"] is JsonValue v && v.TryGetValue(out string? s) ? s : null).OfType<string>()
            : [];
}
