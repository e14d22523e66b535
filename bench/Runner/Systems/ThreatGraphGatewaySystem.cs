using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ThreatGraph.Bench.Generator;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>ThreatGraph through its gateway, as analysts get it: GraphQL over HTTP at /graphql (reads), REST POST
/// /api/bundles (writes) and graphql-transport-ws at /graphql (subscriptions), over loopback.</summary>
public sealed class ThreatGraphGatewaySystem(Uri baseAddress) : IGraphSystem, IDisposable
{
    const string LookupQuery = "query($id: ID!) { object(id: $id) { id type name } }";
    const string TwoHopQuery = "query($id: ID!, $limit: Int) { neighborhood(id: $id, depth: 2, limit: $limit) { nodes { id } partial } }";
    const string PathQuery = "query($from: ID!, $to: ID!, $depth: Int, $kinds: [String!]) { shortestPath(from: $from, to: $to, maxDepth: $depth, edgeTypes: $kinds) { found length partial } }";
    const string LinkedQuery = "query($id: ID!, $depth: Int, $first: Int) { linkedCampaigns(campaignId: $id, maxDepth: $depth, first: $first) { links { campaignId } partial } }";

    /// <summary>GraphQL's largest linkedCampaigns maxDepth (CorrelationQueryFields.MaxLinkDepth).</summary>
    const int MaxLinkDepth = 12;

    const string ApiKey = "jp-analyst-dev-key";
    static readonly string[] PathKinds = [.. EdgeKinds.Path];

    readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 128, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(30),
        DefaultRequestHeaders = { { "X-Api-Key", ApiKey } },
    };

    public string Name => "ThreatGraph (gateway: GraphQL/HTTP)";
    public bool IsThreatGraph => true;

    /// <summary>Set when /graphql answered 404 at start-up: reads are n/a at this level.</summary>
    public string? GraphQLMissing { get; private set; }

    public string? Unsupported(Capability capability) => capability == Capability.Ingest ? null : GraphQLMissing;

    public async Task ProbeAsync()
    {
        using var response = await _http.PostAsJsonAsync("graphql", new { query = "{ __typename }" });
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            GraphQLMissing = "n/a (/graphql not mapped in this build)";
        }
    }

    async Task<JsonElement> GraphQL(string query, object variables, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("graphql", new { query, variables }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var root = JsonDocument.Parse(text).RootElement;
        if (root.TryGetProperty("errors", out var errors))
        {
            throw new InvalidOperationException($"GraphQL errors: {errors}");
        }
        return root.GetProperty("data").Clone();
    }

    public async Task<string?> LookupAsync(string id, CancellationToken ct)
    {
        var data = await GraphQL(LookupQuery, new { id }, ct);
        var o = data.GetProperty("object");
        return o.ValueKind == JsonValueKind.Null ? null : o.GetProperty("type").GetString();
    }

    public async Task<int> TwoHopAsync(string id, CancellationToken ct)
    {
        var data = await GraphQL(TwoHopQuery, new { id, limit = Limits.NeighbourhoodNodes }, ct);
        var n = data.GetProperty("neighborhood");
        // The center is among the nodes (distance 0).
        return n.ValueKind == JsonValueKind.Null ? 0 : n.GetProperty("nodes").GetArrayLength() - 1;
    }

    public async Task<int?> ShortestPathAsync(string a, string b, CancellationToken ct)
    {
        var data = await GraphQL(PathQuery, new { from = a, to = b, depth = Limits.MaxPathHops, kinds = PathKinds }, ct);
        var path = data.GetProperty("shortestPath");
        return path.GetProperty("found").GetBoolean() ? path.GetProperty("length").GetInt32() : null;
    }

    /// <summary>Asks with GraphQL's largest depth (the longest planted chain is 10 hops end to end).</summary>
    public async Task<IReadOnlyCollection<string>> LinkedCampaignsAsync(string campaignId, CancellationToken ct)
    {
        var data = await GraphQL(LinkedQuery, new { id = campaignId, depth = MaxLinkDepth, first = 100 }, ct);
        var linked = data.GetProperty("linkedCampaigns");
        if (linked.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        return [campaignId, .. linked.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("campaignId").GetString()!)];
    }

    public async Task<IAsyncDisposable> SubscribeCampaignsAsync(IReadOnlyList<string> campaignIds, int perCampaign, CampaignWatch watch, CancellationToken ct)
    {
        var endpoint = new UriBuilder(new Uri(baseAddress, "graphql")) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws" }.Uri;
        return await GraphQLSubscribers.OpenAsync(endpoint, ApiKey, campaignIds, perCampaign, watch, ct);
    }

    public async Task IngestUnitAsync(DeltaUnit unit, CancellationToken ct)
    {
        using var content = new StringContent(unit.BundleJson, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("api/bundles", content, ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Bulk ingest: POST one bundle file; returns (created+updated+unchanged, rejected).</summary>
    public async Task<(int Accepted, int Rejected, string? FirstError)> PostBundleFileAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new("application/json");
        using var response = await _http.PostAsync("api/bundles", content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            return (0, -1, $"{(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
        }
        var root = JsonDocument.Parse(text).RootElement;
        var totals = root.GetProperty("totals");
        var rejected = totals.GetProperty("rejected").GetInt32();
        string? first = null;
        if (rejected > 0)
        {
            first = root.GetProperty("objects").EnumerateArray().FirstOrDefault(o => o.GetProperty("outcome").GetString() is "rejected" or "Rejected").ToString();
        }
        return (totals.GetProperty("created").GetInt32() + totals.GetProperty("updated").GetInt32() + totals.GetProperty("unchanged").GetInt32(), rejected, first);
    }

    public void Dispose() => _http.Dispose();
}
