using System.Net.WebSockets;
using System.Text;

namespace ThreatGraph.Bench.Correlation;

/// <summary>The few graphql-transport-ws frames the benchmark sends and reads (30 s per receive).</summary>
public static class GraphQLSocket
{
    public static Task SendAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static async Task<string> ReceiveAsync(ClientWebSocket ws)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer, deadline.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }
}
