using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>Test side of a graphql-transport-ws socket; every receive has a generous deadline
/// (copied from GraphApi.Transport.Tests, plus connecting to the real host).</summary>
internal sealed class WsTestClient(WebSocket socket) : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public WebSocket Socket => socket;

    /// <summary>Connects to the host's /graphql with graphql-transport-ws and completes connection_init/ack.</summary>
    public static async Task<WsTestClient> ConnectAckedAsync(ApiFactory factory, string apiKey = ApiFactory.Keys.JpAnalyst)
    {
        var ws = factory.Server.CreateWebSocketClient();
        ws.SubProtocols.Add("graphql-transport-ws");
        var client = new WsTestClient(await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "graphql"), CancellationToken.None));
        await client.SendAsync(JsonSerializer.Serialize(new { type = "connection_init", payload = new { apiKey } }));
        var ack = await client.ReceiveMessageAsync();
        Assert.Equal("connection_ack", ack.GetProperty("type").GetString());
        return client;
    }

    public Task SubscribeAsync(string id, string query)
        => SendAsync(JsonSerializer.Serialize(new { id, type = "subscribe", payload = new { query } }));

    /// <summary>The next <c>next</c> message of subscription <paramref name="id"/> whose data satisfies the condition
    /// (others are skipped); fails with what arrived when the deadline passes.</summary>
    public async Task<JsonElement> NextAsync(string id, string field, Func<JsonElement, bool> condition)
    {
        var seen = new List<string>();
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            var message = await ReceiveMessageAsync();
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
        Assert.Fail($"no matching {field} event within {Deadline}; got: {string.Join(" | ", seen)}");
        return default;
    }

    public Task SendAsync(string json)
        => socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next frame: a message (JSON) or the server's close.</summary>
    public async Task<(JsonElement? Message, WebSocketCloseStatus? CloseStatus, string? CloseReason)> ReceiveAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, result.CloseStatus, result.CloseStatusDescription);
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        using var document = JsonDocument.Parse(message.ToArray());
        return (document.RootElement.Clone(), null, null);
    }

    public async Task<JsonElement> ReceiveMessageAsync()
    {
        var (message, status, reason) = await ReceiveAsync();
        Assert.True(message.HasValue, $"expected a message, got close {(int?)status} '{reason}'");
        return message.Value;
    }

    public async Task<(int Code, string? Reason)> ReceiveCloseAsync()
    {
        var (message, status, reason) = await ReceiveAsync();
        Assert.False(message.HasValue, $"expected a close, got {message}");
        return ((int)status!.Value, reason);
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var deadline = new CancellationTokenSource(Deadline);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // already gone
            }
        }

        socket.Dispose();
    }
}
