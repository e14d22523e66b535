using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// The second leak matrix (README "Who sees what"): reports of a shared observable, versions, and text search. Each case
/// plants a secret token that only the protected report or version holds; a reader "sees" it when the token (or, for
/// search, a prefix of it) appears through any read path: REST, GraphQL (object, stix, search and its count), TAXII
/// (every version, manifest). The expected table is written out by hand and is the README's.
/// </summary>
public sealed class ReportMatrixTests(ReportMatrixTests.Host host) : IClassFixture<ReportMatrixTests.Host>
{
    public sealed class Host : ApiFactory;

    const string Collection = "/taxii2/threatgraph/collections/9f5c1c43-5d3e-4b8e-9a4f-7b1d2c0e6a51";

    static readonly string[] Readers = [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst];

    static readonly Dictionary<string, string> ReaderNames = new()
    {
        [K.JpAnalyst] = "jp-nisc/analyst1", [K.JpAnalyst2] = "jp-nisc/analyst2", [K.UsAnalyst] = "us-cisa/analyst1", [K.IsacAnalyst] = "it-isac/analyst1",
    };

    /// <summary>A case: what it plants (returning the object id), and who may see the token.</summary>
    public sealed record ReportCase(string Name, Func<ReportMatrixTests, string, Task<string>> Plant, string[] VisibleTo);

    public static readonly ReportCase[] Cases =
    [
        new("RED report by jp-nisc/analyst1 of an IP us-cisa also reported (GREEN)", (t, token) => t.SharedIpAsync(token, K.UsAnalyst, null, K.JpAnalyst, Tlp.RedId, []),
            [K.JpAnalyst]),
        new("AMBER report by us-cisa of an IP jp-nisc also reported (GREEN)", (t, token) => t.SharedIpAsync(token, K.JpAnalyst, null, K.UsAnalyst, Tlp.AmberId, []),
            [K.UsAnalyst]),
        new("AMBER report by us-cisa, shared with jp-nisc, of an IP jp-nisc also reported", (t, token) => t.SharedIpAsync(token, K.JpAnalyst, null, K.UsAnalyst, Tlp.AmberId, ["jp-nisc"]),
            [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst]),
        new("GREEN report by us-cisa of an IP jp-nisc/analyst1 reported RED", (t, token) => t.SharedIpAsync(token, K.JpAnalyst, Tlp.RedId, K.UsAnalyst, Tlp.GreenId, []),
            [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst]),
        new("Version 1 (RED by jp-nisc/analyst1) of an object now GREEN", (t, token) => t.VersionsAsync(token, Tlp.RedId, null, Tlp.GreenId),
            [K.JpAnalyst]),
        new("Version 2 (RED by jp-nisc/analyst1, renamed) of an object first GREEN", (t, token) => t.VersionsAsync(token, Tlp.GreenId, token, Tlp.RedId),
            [K.JpAnalyst]),
        new("Version 1 (GREEN) of an object jp-nisc/analyst1 made RED in version 2", (t, token) => t.VersionsAsync(token, Tlp.GreenId, null, Tlp.RedId, tokenInFirst: true),
            [K.JpAnalyst]),
        new("A rename of a GREEN jp-nisc object sent by us-cisa (same modified)", (t, token) => t.RenameByOtherAsync(token),
            []),
    ];

    /// <summary>The README's table, made from <see cref="Cases"/>.</summary>
    public static string MarkdownTable()
    {
        var sb = new StringBuilder();
        sb.Append("| report or version | ").Append(string.Join(" | ", Readers.Select(r => ReaderNames[r]))).Append(" |\n");
        sb.Append("|---|").Append(string.Concat(Readers.Select(_ => "---|"))).Append('\n');
        foreach (var c in Cases)
        {
            sb.Append("| ").Append(c.Name).Append(" | ").Append(string.Join(" | ", Readers.Select(r => c.VisibleTo.Contains(r) ? "yes" : "no"))).Append(" |\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void Readme_shows_this_table()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        Assert.True(readme.Contains(MarkdownTable(), StringComparison.Ordinal), "README's reports and versions table differs from the test's:\n" + MarkdownTable());
    }

    [Fact]
    public async Task Every_read_path_shows_a_report_or_version_exactly_to_whom_the_table_says()
    {
        var failures = new List<string>();
        foreach (var c in Cases)
        {
            var token = "tok" + Guid.NewGuid().ToString("N")[..16];
            var id = await c.Plant(this, token);
            foreach (var reader in Readers)
            {
                var seen = await SeenAsync(id, token, reader);
                if (seen.Count > 0 != c.VisibleTo.Contains(reader))
                {
                    failures.Add($"{c.Name} / {ReaderNames[reader]}: expected {(c.VisibleTo.Contains(reader) ? "visible" : "hidden")}, "
                        + (seen.Count > 0 ? "seen through " + string.Join(", ", seen) : "seen nowhere"));
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The read paths through which <paramref name="reader"/> learns the token.</summary>
    async Task<List<string>> SeenAsync(string id, string token, string reader)
    {
        var seen = new List<string>();
        using var client = host.ClientFor(reader);
        using (var rest = await client.GetAsync($"/api/objects/{id}"))
        {
            if ((await rest.Content.ReadAsStringAsync()).Contains(token, StringComparison.Ordinal)) seen.Add("REST");
        }
        var graph = await host.DataAsync("""
            query($id: ID!, $token: String, $prefix: String) {
              object(id: $id, includeRevoked: true) { name stix }
              search(text: $token, includeRevoked: true) { totalCount edges { node { stix } } }
              prefix: search(text: $prefix, includeRevoked: true) { totalCount }
            }
            """, new { id, token, prefix = token[..10] }, reader);
        if (graph["object"]?.ToJsonString().Contains(token, StringComparison.Ordinal) == true) seen.Add("GraphQL object");
        if (graph["search"]!["totalCount"]!.GetValue<int>() > 0) seen.Add("search count");
        if (graph["prefix"]!["totalCount"]!.GetValue<int>() > 0) seen.Add("search by a prefix");
        client.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        foreach (var path in new[] { $"{Collection}/objects/?match[id]={id}&match[version]=all", $"{Collection}/objects/?match[id]={id}&match[version]=first" })
        {
            using var taxii = await client.GetAsync(path);
            if ((await taxii.Content.ReadAsStringAsync()).Contains(token, StringComparison.Ordinal)) seen.Add("TAXII " + path[(path.LastIndexOf('=') + 1)..]);
        }
        return seen;
    }

    /// <summary>One IP reported by two organisations; the second report holds the token.</summary>
    async Task<string> SharedIpAsync(string token, string firstKey, string? firstTlp, string secondKey, string secondTlp, string[] recipients)
    {
        var value = $"45.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var id = ScoId.Compute(new JsonObject { ["type"] = "ipv4-addr", ["value"] = value })!;
        var first = new JsonObject { ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = id, ["value"] = value };
        if (firstTlp is not null)
        {
            first["object_marking_refs"] = new JsonArray(firstTlp);
        }
        await PostAsync(first, firstKey);
        var second = new JsonObject
        {
            ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = id, ["value"] = value, ["x_note"] = token,
            ["object_marking_refs"] = new JsonArray(secondTlp),
        };
        if (recipients.Length > 0)
        {
            second["x_threatgraph_recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]);
        }
        await PostAsync(second, secondKey);
        return id;
    }

    /// <summary>Two versions by jp-nisc/analyst1; the token is in the first (description) or the second (its name).</summary>
    async Task<string> VersionsAsync(string token, string firstTlp, string? secondName, string secondTlp, bool tokenInFirst = false)
    {
        var v1 = StixBuilder.Sdo("campaign", name: tokenInFirst ? token : "first name");
        v1["object_marking_refs"] = new JsonArray(firstTlp);
        if (secondName is null && !tokenInFirst)
        {
            v1["description"] = token;
        }
        var id = v1["id"]!.GetValue<string>();
        await PostAsync(v1, K.JpAnalyst);
        var v2 = StixBuilder.Sdo("campaign", id, "2024-06-01T00:00:00.000Z", name: secondName ?? "second name");
        v2["object_marking_refs"] = new JsonArray(secondTlp);
        await PostAsync(v2, K.JpAnalyst);
        return id;
    }

    async Task<string> RenameByOtherAsync(string token)
    {
        var original = StixBuilder.Sdo("campaign", name: "owned by jp");
        original["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        await PostAsync(original, K.JpAnalyst);
        var renamed = (JsonObject)original.DeepClone();
        renamed["name"] = token;
        await PostAsync(renamed, K.UsAnalyst);
        return original["id"]!.GetValue<string>();
    }

    async Task PostAsync(JsonObject obj, string key)
    {
        var (status, report) = await host.PostBundleAsync(ApiFactory.Bundle(obj), apiKey: key);
        Assert.True(status == HttpStatusCode.OK, report.ToJsonString());
    }
}
