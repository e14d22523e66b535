using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Campaigns and incidents by the critical-infrastructure sector they target (identity <c>sectors</c> reached through
/// <c>targets</c>): <c>campaigns(filter: { sector })</c> and <c>targetedSectors</c>. A hostile organisation's hidden
/// targeting (a RED relationship, a RED identity) neither matches, nor counts, nor shows for anyone it is hidden from.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SectorFilterTests(ApiFactory api)
{
    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    static JsonObject Marked(JsonObject o, string tlp)
    {
        o["object_marking_refs"] = new JsonArray(tlp);
        return o;
    }

    static JsonObject Sector(string name, string tlp, params string[] sectors)
    {
        var o = Marked(StixBuilder.Sdo("identity", name: name), tlp);
        o["identity_class"] = "class";
        o["sectors"] = new JsonArray([.. sectors.Select(s => (JsonNode)s)]);
        return o;
    }

    [Fact]
    public async Task Campaigns_filter_by_the_sector_they_target_as_the_caller_sees_it()
    {
        var tag = "sector" + Guid.NewGuid().ToString("N")[..8];
        var water = Sector("water utilities " + tag, Tlp.GreenId, "water", "utilities");
        var energy = Sector("power grid " + tag, Tlp.GreenId, "energy");
        var secretEnergy = Sector("secret grid " + tag, Tlp.RedId, "energy");
        var usWater = Marked(StixBuilder.Sdo("campaign", name: $"{tag} us water"), Tlp.GreenId);
        var usOther = Marked(StixBuilder.Sdo("campaign", name: $"{tag} us other"), Tlp.GreenId);
        var incident = Marked(StixBuilder.Sdo("incident", name: $"{tag} us incident"), Tlp.GreenId);
        await api.PostAcceptedAsync(K.UsAnalyst, water, energy, usWater, usOther, incident,
            Marked(StixBuilder.Relationship(Id(usWater), "targets", Id(water)), Tlp.GreenId),
            Marked(StixBuilder.Relationship(Id(incident), "targets", Id(energy)), Tlp.GreenId));
        // jp-nisc/analyst1, privately: us-cisa's other campaign targets the grid (a RED relationship), and a RED identity.
        await api.PostAcceptedAsync(K.JpAnalyst, secretEnergy,
            Marked(StixBuilder.Relationship(Id(usOther), "targets", Id(energy)), Tlp.RedId),
            Marked(StixBuilder.Relationship(Id(usOther), "targets", Id(secretEnergy)), Tlp.GreenId));

        const string Query = """
            query($text: String!, $sector: String!) {
              campaigns(filter: { text: $text, sector: $sector }) { totalCount edges { node { id ... on Campaign { targetedSectors } } } } }
            """;
        var usWaterHits = (await api.DataAsync(Query, new { text = tag, sector = "water" }, K.UsAnalyst))["campaigns"]!;
        Assert.Equal(1, usWaterHits["totalCount"]!.GetValue<int>());
        Assert.Equal(Id(usWater), usWaterHits["edges"]![0]!["node"]!["id"]!.GetValue<string>());
        Assert.Equal<string>(["utilities", "water"], usWaterHits["edges"]![0]!["node"]!["targetedSectors"]!.AsArray().Select(s => s!.GetValue<string>()));

        // us-cisa cannot see jp-nisc's RED targeting: no energy campaign for it, and its campaign shows no energy sector.
        var usEnergy = await api.DataAsync(Query, new { text = tag, sector = "energy" }, K.UsAnalyst);
        Assert.Equal(0, usEnergy["campaigns"]!["totalCount"]!.GetValue<int>());
        var other = await api.DataAsync("query($id: ID!) { object(id: $id) { ... on Campaign { targetedSectors } } }", new { id = Id(usOther) }, K.UsAnalyst);
        Assert.Empty(other["object"]!["targetedSectors"]!.AsArray());
        Assert.Empty((await api.DataAsync(Query, new { text = tag, sector = "energy" }, K.JpAnalyst2))["campaigns"]!["edges"]!.AsArray());

        // jp-nisc/analyst1 sees its own targeting.
        var jpEnergy = (await api.DataAsync(Query, new { text = tag, sector = "energy" }, K.JpAnalyst))["campaigns"]!;
        Assert.Equal(Id(usOther), Assert.Single(jpEnergy["edges"]!.AsArray())!["node"]!["id"]!.GetValue<string>());

        // Incidents show their sectors too.
        var inc = await api.DataAsync("query($id: ID!) { object(id: $id) { ... on Incident { targetedSectors } } }", new { id = Id(incident) }, K.IsacAnalyst);
        Assert.Equal<string>(["energy"], inc["object"]!["targetedSectors"]!.AsArray().Select(s => s!.GetValue<string>()));

        // A malformed sector is an error, not an empty answer.
        var bad = await api.GraphQLAsync(Query, new { text = tag, sector = "Energy Sector" }, apiKey: K.UsAnalyst);
        Assert.Equal("BAD_ARGUMENT", bad["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("filter.sector", bad["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readme_example_of_lifecycle_and_severity_runs()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        var from = readme.IndexOf("Example (as `us-analyst-dev-key`):", StringComparison.Ordinal);
        Assert.True(from >= 0, "the README lost its lifecycle and severity example");
        var block = readme[(readme.IndexOf("```graphql", from, StringComparison.Ordinal) + "```graphql".Length)..];
        var response = await api.GraphQLAsync(block[..block.IndexOf("```", StringComparison.Ordinal)], apiKey: K.UsAnalyst);
        Assert.True(response["errors"] is null, response.ToJsonString());
        Assert.NotNull(response["data"]!["campaigns"]);
    }
}
