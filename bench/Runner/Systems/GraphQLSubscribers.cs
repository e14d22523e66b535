using System.Net.WebSockets;
using System.Text.Json;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>
/// Subscribers as analysts' tools are: one graphql-transport-ws connection each (connection_init with the API key,
/// then one <c>campaignUpdated</c> subscription), a receive loop per connection reporting each <c>next</c> to the
/// watch. Open returns once every subscription answered its first event (SUBSCRIBED: the stream subscription is live).
/// </summary>
public sealed class GraphQLSubscribers : IAsyncDisposable
{
    const string Query = "subscription($id: ID!) { campaignUpdated(campaignId: $id) { kinds newMemberIds } }";

    readonly List<ClientWebSocket> _sockets = [];
    readonly List<Task> _loops = [];
    readonly CancellationTokenSource _stop = new();

    public static async Task<GraphQLSubscribers> OpenAsync(Uri endpoint, string apiKey, IReadOnlyList<string> campaignIds, int perCampaign,
        CampaignWatch watch, CancellationToken ct)
    {
        var subscribers = new GraphQLSubscribers();
        try
        {
            var number = 0;
            foreach (var campaign in campaignIds)
            {
                for (var k = 0; k < perCampaign; k++)
                {
                    await subscribers.OpenOneAsync(endpoint, apiKey, campaign, number++, watch, ct);
                }
            }
        }
        catch
        {
            await subscribers.DisposeAsync();
            throw;
        }
        return subscribers;
    }

    async Task OpenOneAsync(Uri endpoint, string apiKey, string campaignId, int number, CampaignWatch watch, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        _sockets.Add(socket);
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(endpoint, ct);
        await SendAsync(socket, new { type = "connection_init", payload = new { apiKey } }, ct);
        Expect(await ReceiveAsync(socket, ct), "connection_ack", campaignId);
        await SendAsync(socket, new { id = "1", type = "subscribe", payload = new { query = Query, variables = new { id = campaignId } } }, ct);
        Expect(await ReceiveAsync(socket, ct), "next", campaignId); // SUBSCRIBED
        watch.Deliver(number, campaignId, []);
        _loops.Add(Task.Run(() => ReceiveLoopAsync(socket, campaignId, number, watch), CancellationToken.None));
    }

    async Task ReceiveLoopAsync(ClientWebSocket socket, string campaignId, int number, CampaignWatch watch)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (await ReceiveAsync(socket, _stop.Token) is not { } message)
                {
                    watch.Break(); // the server closed the connection
                    return;
                }
                switch (message.GetProperty("type").GetString())
                {
                    case "next":
                        var update = message.GetProperty("payload").GetProperty("data").GetProperty("campaignUpdated");
                        watch.Deliver(number, campaignId, update.GetProperty("newMemberIds").EnumerateArray().Select(x => x.GetString()!));
                        break;
                    case "ping":
                        await SendAsync(socket, new { type = "pong" }, _stop.Token);
                        break;
                    case "error" or "complete":
                        watch.Break();
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is WebSocketException or JsonException or KeyNotFoundException or ObjectDisposedException)
        {
            watch.Break();
        }
    }

    static void Expect(JsonElement? message, string type, string campaignId)
    {
        if (message?.GetProperty("type").GetString() != type)
        {
            throw new InvalidOperationException($"subscribing to {campaignId}: expected {type}, got {(message is null ? "close" : message.ToString())}");
        }
    }

    static Task SendAsync(ClientWebSocket socket, object message, CancellationToken ct) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, ct);

    /// <summary>The next message, or null when the server closed.</summary>
    static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // already gone
            }
            socket.Dispose();
        }
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
