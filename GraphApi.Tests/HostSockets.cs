using System.Text.Json;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>graphql-transport-ws against the real host: connect with a key, subscribe, wait for a matching event
/// (the socket client itself is TestSupport's <see cref="WsTestClient"/>).</summary>
internal static class HostSockets
{
    /// <summary>Connects to the host's /graphql with graphql-transport-ws and completes connection_init/ack.</summary>
    public static async Task<WsTestClient> ConnectAckedAsync(ApiFactory factory, string apiKey = DevKeys.JpAnalyst)
    {
        var ws = factory.Server.CreateWebSocketClient();
        ws.SubProtocols.Add("graphql-transport-ws");
        var client = new WsTestClient(await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "graphql"), CancellationToken.None));
        await client.SendAsync(JsonSerializer.Serialize(new { type = "connection_init", payload = new { apiKey } }));
        var ack = await client.ReceiveMessageAsync();
        Assert.Equal("connection_ack", ack.GetProperty("type").GetString());
        return client;
    }

    public static Task SubscribeAsync(this WsTestClient client, string id, string query)
        => client.SendAsync(JsonSerializer.Serialize(new { id, type = "subscribe", payload = new { query } }));

    /// <summary>The next <c>next</c> message of subscription <paramref name="id"/> whose data satisfies the condition
    /// (others are skipped); fails with what arrived when the deadline passes.</summary>
    public static async Task<JsonElement> NextAsync(this WsTestClient client, string id, string field, Func<JsonElement, bool> condition)
    {
        var seen = new List<string>();
        var until = DateTime.UtcNow + WsTestClient.Deadline;
        while (DateTime.UtcNow < until)
        {
            var message = await client.ReceiveMessageAsync();
            seen.Add(message.ToString());
            if (message.GetProperty("type").GetString() == "next" && message.GetProperty("id").GetString() == id)
            {
                var data = message.GetProperty("payload").GetProperty("data").GetProperty(field);
                if (condition(data))
                {
                    return data;
                }
            }
            else if (message.GetProperty("type").GetString() is "error" or "complete")
            {
                Assert.Fail($"subscription {id} ended: {message}");
            }
        }
        Assert.Fail($"no matching {field} event within {WsTestClient.Deadline}; got: {string.Join(" | ", seen)}");
        return default;
    }
}
