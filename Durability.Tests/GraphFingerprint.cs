using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// What the graph holds, read through the public API: the count per type (revoked included) and, for each given
/// id, whether it is there, how many edges it has and which correlation cluster it is in (<see cref="Clusters"/>).
/// Two fingerprints equal = nothing lost, nothing invented, nobody moved to another cluster.
/// </summary>
public sealed record GraphFingerprint(string TypeCounts, IReadOnlyDictionary<string, int> EdgesById, ClusterFingerprint Clusters)
{
    public static async Task<GraphFingerprint> ReadAsync(HttpClient http, IReadOnlyList<string> ids)
    {
        var counts = await QueryAsync(http, "{ typeCounts(includeRevoked: true) { type count } }");
        var typeCounts = string.Join(", ", counts["typeCounts"]!.AsArray()
            .Select(t => $"{t!["type"]}={t["count"]}").Order(StringComparer.Ordinal));
        var edges = new Dictionary<string, int>(StringComparer.Ordinal);
        var clusters = new Dictionary<string, string?>(StringComparer.Ordinal);
        var linked = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(100))
        {
            var q = new StringBuilder("{");
            for (var i = 0; i < chunk.Length; i++)
            {
                q.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $" o{i}: object(id: \"{chunk[i]}\", includeRevoked: true) {{ id relationships(includeRevoked: true, first: 0) {{ totalCount }} }}");
                if (ClusterFingerprint.CanBeMember(chunk[i]))
                {
                    q.Append(System.Globalization.CultureInfo.InvariantCulture, $" k{i}: {ClusterFingerprint.Selection(chunk[i])}");
                }
                if (ClusterFingerprint.IsCampaign(chunk[i]))
                {
                    q.Append(System.Globalization.CultureInfo.InvariantCulture, $" l{i}: {ClusterFingerprint.LinkedSelection(chunk[i])}");
                }
            }
            var data = await QueryAsync(http, q.Append('}').ToString());
            for (var i = 0; i < chunk.Length; i++)
            {
                edges[chunk[i]] = data[$"o{i}"] is JsonObject o ? o["relationships"]!["totalCount"]!.GetValue<int>() : -1;
                if (ClusterFingerprint.CanBeMember(chunk[i]))
                {
                    clusters[chunk[i]] = ClusterFingerprint.Key(data[$"k{i}"]);
                }
                if (ClusterFingerprint.IsCampaign(chunk[i]))
                {
                    linked[chunk[i]] = ClusterFingerprint.Linked(data[$"l{i}"]);
                }
            }
        }
        return new GraphFingerprint(typeCounts, edges, new ClusterFingerprint(clusters, linked));
    }

    public static async Task<JsonObject> QueryAsync(HttpClient http, string query)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GraphQL: HTTP {(int)response.StatusCode}: {body}");
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.True(json["errors"] is null, "GraphQL errors: " + body);
        return json["data"]!.AsObject();
    }

    /// <summary>Differences, for an assertion message (empty when equal).</summary>
    public string Diff(GraphFingerprint other)
    {
        var lines = new List<string>();
        if (TypeCounts != other.TypeCounts)
        {
            lines.Add($"type counts: {TypeCounts}\n          vs {other.TypeCounts}");
        }
        foreach (var (id, n) in EdgesById)
        {
            var m = other.EdgesById.GetValueOrDefault(id, -2);
            if (n != m)
            {
                lines.Add($"{id}: {n} edges vs {m}");
            }
        }
        if (Clusters.Diff(other.Clusters) is { Length: > 0 } clusters)
        {
            lines.Add(clusters);
        }
        return string.Join("\n", lines.Take(20));
    }

    /// <summary>Ids of every object of a bundle.</summary>
    public static List<string> IdsOf(byte[] bundle) =>
        [.. JsonNode.Parse(bundle)!["objects"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).Distinct()];
}

/// <summary>
/// Correlation as the API answers it: for each given id, the cluster GraphQL <c>cluster(id)</c> puts it in — its id
/// (a view id, named after its first campaign, else its first member: README "Correlation") and its size — or none;
/// and for each given campaign, the campaigns <c>linkedCampaigns</c> links it to (sorted; null when it is unknown).
/// Grouping the ids by cluster gives the partition of the ids into clusters, compared with <see cref="Diff"/> (equal),
/// <see cref="LostLinks"/> (every two ids linked here are still linked there) and <see cref="LinksNotIn"/> (nothing
/// linked here that the reference does not link).
/// </summary>
public sealed record ClusterFingerprint(IReadOnlyDictionary<string, string?> ClusterById,
    IReadOnlyDictionary<string, IReadOnlyList<string>?> LinkedByCampaign)
{
    /// <summary>A relationship is a link, never a member: its id is not asked (keeps the query small).</summary>
    public static bool CanBeMember(string id) => !id.StartsWith("relationship--", StringComparison.Ordinal);

    public static bool IsCampaign(string id) => id.StartsWith("campaign--", StringComparison.Ordinal);

    public static string Selection(string id) => $"cluster(id: \"{id}\") {{ id size }}";

    public static string LinkedSelection(string id) =>
        $"linkedCampaigns(campaignId: \"{id}\", maxDepth: 12, first: 100) {{ partial links {{ campaignId }} }}";

    /// <summary>"id size", or null for no cluster.</summary>
    public static string? Key(JsonNode? cluster) =>
        cluster is JsonObject c ? $"{c["id"]!.GetValue<string>()} size={c["size"]!.GetValue<int>()}" : null;

    public static IReadOnlyList<string>? Linked(JsonNode? linked)
    {
        if (linked is not JsonObject l)
        {
            return null;
        }
        Assert.False(l["partial"]!.GetValue<bool>(), "linkedCampaigns cut short: " + l.ToJsonString());
        return [.. l["links"]!.AsArray().Select(x => x!["campaignId"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    public static async Task<ClusterFingerprint> ReadAsync(HttpClient http, IEnumerable<string> ids)
    {
        var clusters = new Dictionary<string, string?>(StringComparer.Ordinal);
        var linked = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
        foreach (var chunk in ids.Where(CanBeMember).Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var q = new StringBuilder("{");
            for (var i = 0; i < chunk.Length; i++)
            {
                q.Append(System.Globalization.CultureInfo.InvariantCulture, $" k{i}: {Selection(chunk[i])}");
                if (IsCampaign(chunk[i]))
                {
                    q.Append(System.Globalization.CultureInfo.InvariantCulture, $" l{i}: {LinkedSelection(chunk[i])}");
                }
            }
            var data = await GraphFingerprint.QueryAsync(http, q.Append('}').ToString());
            for (var i = 0; i < chunk.Length; i++)
            {
                clusters[chunk[i]] = Key(data[$"k{i}"]);
                if (IsCampaign(chunk[i]))
                {
                    linked[chunk[i]] = Linked(data[$"l{i}"]);
                }
            }
        }
        return new ClusterFingerprint(clusters, linked);
    }

    /// <summary>The same correlation restricted to some of the ids (linked campaigns too).</summary>
    public ClusterFingerprint Only(IEnumerable<string> ids)
    {
        var keep = ids.ToHashSet(StringComparer.Ordinal);
        return new(ClusterById.Where(p => keep.Contains(p.Key)).ToDictionary(StringComparer.Ordinal),
            LinkedByCampaign.Where(p => keep.Contains(p.Key))
                .ToDictionary(p => p.Key, p => p.Value?.Where(keep.Contains).ToList() as IReadOnlyList<string>, StringComparer.Ordinal));
    }

    /// <summary>The given ids grouped by cluster (ids in no cluster left out), each group sorted, groups by first id.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Groups =>
        [.. ClusterById.Where(p => p.Value is not null).GroupBy(p => p.Value, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<string>)[.. g.Select(p => p.Key).Order(StringComparer.Ordinal)])
            .OrderBy(g => g[0], StringComparer.Ordinal)];

    /// <summary>Pairs of campaigns linkedCampaigns links (each pair once per direction).</summary>
    public int CampaignLinks => LinkedByCampaign.Values.Sum(v => v?.Count ?? 0);

    public override string ToString() =>
        $"{Groups.Count} clusters over {ClusterById.Values.Count(v => v is not null)} of {ClusterById.Count} ids, {CampaignLinks} campaign links: " +
        string.Join("; ", Groups.Where(g => g.Count > 1).Select(g => $"{ClusterById[g[0]]} [{string.Join(", ", g)}]"));

    /// <summary>Ids whose cluster (id and size) or linked campaigns differ, for an assertion message (empty when equal).</summary>
    public string Diff(ClusterFingerprint other)
    {
        var lines = new List<string>();
        foreach (var (id, cluster) in ClusterById)
        {
            var theirs = other.ClusterById.TryGetValue(id, out var t) ? t : "(not read)";
            if (!string.Equals(cluster, theirs, StringComparison.Ordinal))
            {
                lines.Add($"{id}: cluster {cluster ?? "none"} vs {theirs ?? "none"}");
            }
        }
        foreach (var (id, links) in LinkedByCampaign)
        {
            var theirs = other.LinkedByCampaign.GetValueOrDefault(id);
            if (Show(links) != Show(theirs))
            {
                lines.Add($"{id}: linkedCampaigns {Show(links)} vs {Show(theirs)}");
            }
        }
        return string.Join("\n", lines.Take(20));
    }

    /// <summary>What is linked here and not in <paramref name="after"/>: a cluster here whose ids are not all in one
    /// cluster there, a campaign linked here to one it is not linked to there. Empty: no link lost.</summary>
    public IReadOnlyList<string> LostLinks(ClusterFingerprint after) => NotWithin(this, after);

    /// <summary>What is linked here and not in <paramref name="reference"/>. Empty: no link invented.</summary>
    public IReadOnlyList<string> LinksNotIn(ClusterFingerprint reference) => NotWithin(this, reference);

    static List<string> NotWithin(ClusterFingerprint finer, ClusterFingerprint coarser)
    {
        var lines = new List<string>();
        foreach (var group in finer.Groups)
        {
            var there = group.Select(id => (Id: id, Cluster: coarser.ClusterById.GetValueOrDefault(id))).ToList();
            if (there.Any(t => t.Cluster is null) || there.Select(t => t.Cluster).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                lines.Add($"{finer.ClusterById[group[0]]} [{string.Join(", ", group)}] is there " +
                          string.Join(", ", there.Select(t => $"{t.Id} in {t.Cluster ?? "none"}")));
            }
        }
        foreach (var (campaign, links) in finer.LinkedByCampaign)
        {
            var theirs = coarser.LinkedByCampaign.GetValueOrDefault(campaign)?.ToHashSet(StringComparer.Ordinal) ?? [];
            if (links?.Where(l => !theirs.Contains(l)).ToList() is { Count: > 0 } missing)
            {
                lines.Add($"{campaign} linked to {string.Join(", ", missing)} here, not there");
            }
        }
        return lines;
    }

    static string Show(IReadOnlyList<string>? links) => links is null ? "unknown" : "[" + string.Join(", ", links) + "]";
}
