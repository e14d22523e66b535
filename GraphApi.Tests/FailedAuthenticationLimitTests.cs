using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>README "Abuse limits": failed authentications are limited per client address (here 1 per second, burst
/// 10); over it an address gets 429 for any credential it has not used successfully, so guessing learns nothing.</summary>
public sealed class FailedAuthenticationLimitTests(FailedAuthenticationLimitTests.Host host) : IClassFixture<FailedAuthenticationLimitTests.Host>
{
    public sealed class Host : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:FailedAuthPerSecond", "1");
            builder.UseSetting("Security:FailedAuthBurst", "10");
        }
    }

    [Fact]
    public async Task Thirty_bad_keys_from_one_address_get_429_and_valid_organisations_still_get_200()
    {
        var attacker = IPAddress.Parse("198.51.100.23");
        using (var before = await PostAsync(attacker, K.UsAnalyst))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode); // us-cisa works from this address (a shared NAT)
        }

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 30; i++)
        {
            var response = await PostAsync(attacker, $"guess-{i}-{Guid.NewGuid():N}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response; else response.Dispose();
        }
        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.ToString());
        Assert.Contains("TOO_MANY_FAILED_AUTHENTICATIONS", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        limited.Dispose();

        // A valid key this address has not used is limited like a guess (else a 200 among the 429s would confirm it) …
        using (var unseen = await PostAsync(attacker, K.JpAnalyst2))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, unseen.StatusCode);
        }
        // … and the same goes for the WebSocket connection_init apiKey.
        await using (var socket = await ConnectAsync(attacker))
        {
            await socket.SendAsync(JsonSerializer.Serialize(new { type = "connection_init", payload = new { apiKey = K.JpAnalyst2 } }));
            Assert.Equal(4403, (await socket.ReceiveCloseAsync()).Code);
        }
        // The organisation that already worked from there keeps working; others from other addresses are not touched.
        using (var known = await PostAsync(attacker, K.UsAnalyst))
        {
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        }
        using (var elsewhere = await PostAsync(IPAddress.Parse("192.0.2.44"), K.JpAnalyst))
        {
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        }
        await using (var socket = await ConnectAsync(IPAddress.Parse("192.0.2.45")))
        {
            await socket.SendAsync(JsonSerializer.Serialize(new { type = "connection_init", payload = new { apiKey = K.JpAnalyst2 } }));
            Assert.Equal("connection_ack", (await socket.ReceiveMessageAsync()).GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Bad_keys_in_connection_init_count_as_failed_authentications()
    {
        var attacker = IPAddress.Parse("203.0.113.77");
        var codes = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            await using var socket = await ConnectAsync(attacker);
            await socket.SendAsync(JsonSerializer.Serialize(new { type = "connection_init", payload = new { apiKey = $"guess-{i}" } }));
            codes.Add((await socket.ReceiveCloseAsync()).Code);
        }
        Assert.All(codes, c => Assert.Equal(4403, c));
        using var response = await PostAsync(attacker, "one-more-guess");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    async Task<HttpResponseMessage> PostAsync(IPAddress from, string apiKey)
    {
        using var client = new HttpClient(host.Server.CreateHandler(c => c.Connection.RemoteIpAddress = from)) { BaseAddress = host.Server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return await client.PostAsJsonAsync("/graphql", new { query = "{ typeCounts { type } }" });
    }

    async Task<WsTestClient> ConnectAsync(IPAddress from)
    {
        var ws = host.Server.CreateWebSocketClient();
        ws.SubProtocols.Add("graphql-transport-ws");
        ws.ConfigureRequest = r => r.HttpContext.Connection.RemoteIpAddress = from;
        return new WsTestClient(await ws.ConnectAsync(new Uri(host.Server.BaseAddress, "graphql"), CancellationToken.None));
    }
}
