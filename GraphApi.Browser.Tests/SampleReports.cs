using System.Text.Json;
using ThreatGraph.GraphApi.Tests;
using ThreatGraph.Cli.Sample;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>The README's two sample reports (JP NISC, US CISA), sent through the API as a user would.</summary>
internal static class SampleReports
{
    public const string JpCampaign = "Operation Cherry Frost";
    public const string UsCampaign = "Operation Harbor Lantern";

    public static string CampaignId(string file) =>
        SampleScenario.Build()[file]["objects"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "campaign")!["id"]!.GetValue<string>();

    public static string Json(string file) => SampleScenario.Build()[file].ToJsonString(new JsonSerializerOptions());

    public static async Task IngestAsync(ApiFactory host, string file, string apiKey)
    {
        var (status, report) = await host.PostBundleAsync(Json(file), apiKey);
        Assert.True(status == System.Net.HttpStatusCode.OK, $"ingest of {file}: {status} {report}");
        Assert.Equal(0, report["totals"]!["rejected"]!.GetValue<int>());
    }
}
