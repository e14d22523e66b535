using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ThreatGraph.TestSupport;

/// <summary>Test side of a graphql-transport-ws socket; every receive has a generous deadline.</summary>
public sealed class WsTestClient(WebSocket socket) : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public WebSocket Socket => socket;

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
