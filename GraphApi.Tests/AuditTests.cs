using System.Net;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuditTests(ApiFactory api)
{
    [Fact]
    public async Task Writes_and_queries_are_recorded_with_org_key_operation_objects_and_outcome_and_only_auditors_read_them()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        var campaign = StixBuilder.Sdo("campaign", name: "audited");
        var id = campaign["id"]!.GetValue<string>();
        var (status, _) = await api.PostBundleAsync(ApiFactory.Bundle(campaign), apiKey: DevKeys.JpAnalyst2);
        Assert.Equal(HttpStatusCode.OK, status);
        await api.DataAsync("query ReadIt($id: ID!) { object(id: $id) { id } }", new { id }, DevKeys.JpAnalyst2);

        var denied = await api.GraphQLAsync("query($from: String!) { auditLog(from: $from) { org } }", new { from }, apiKey: DevKeys.UsAnalyst);
        Assert.Equal("FORBIDDEN", denied["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());

        var log = (await api.DataAsync("""
            query($from: String!) { auditLog(from: $from, org: "jp-nisc", first: 1000) { org member keyId operation isWrite objects outcome } }
            """, new { from }, DevKeys.JpAuditor))["auditLog"]!.AsArray();
        var write = Assert.Single(log, r => r!["operation"]!.GetValue<string>() == "rest POST /api/bundles" && r["objects"]!.AsArray().Any(o => o!.GetValue<string>() == id))!;
        Assert.True(write["isWrite"]!.GetValue<bool>());
        Assert.Equal("jp-analyst-2", write["keyId"]!.GetValue<string>());
        Assert.Equal("jp-nisc/analyst2", write["member"]!.GetValue<string>());
        Assert.StartsWith("created 1", write["outcome"]!.GetValue<string>());
        var read = Assert.Single(log, r => r!["operation"]!.GetValue<string>() == "graphql query ReadIt" && r["member"]!.GetValue<string>() == "jp-nisc/analyst2")!;
        Assert.False(read["isWrite"]!.GetValue<bool>());
        Assert.Equal(id, Assert.Single(read["objects"]!.AsArray())!.GetValue<string>());
        Assert.Equal("ok", read["outcome"]!.GetValue<string>());
    }
}
