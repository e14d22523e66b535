using System.Globalization;
using ThreatGraph.Bench.Correlation;

// Correlation numbers for bench/README.md (run by bench/correlation.sh), not a test: against a running ThreatGraph,
// ingest → subscriber notification latency and linkedCampaigns latency on a synthetic graph; in process, the cost of
// one merge and one split as a cluster grows.
var url = "http://127.0.0.1:5080";
var key = "jp-analyst-dev-key";
var notifications = 200;
var nodes = 100_000;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--url": url = args[i + 1].TrimEnd('/'); break;
        case "--key": key = args[i + 1]; break;
        case "--notifications": notifications = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--nodes": nodes = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine("usage: Correlation [--url URL] [--key API_KEY] [--notifications N] [--nodes N]");
            return 2;
    }
}

ClusterMergeCost.Run();
using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
http.DefaultRequestHeaders.Add("X-Api-Key", key);
if (notifications > 0)
{
    await NotificationLatency.RunAsync(http, url, key, notifications);
}
if (nodes > 0)
{
    await LinkedCampaignsLatency.RunAsync(http, nodes);
}
return 0;
