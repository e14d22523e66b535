using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>Recognises a WebSocket upgrade request, also before <c>UseWebSockets</c> has run (routing may match first).</summary>
internal static class WebSocketRequests
{
    public static bool IsUpgrade(HttpContext http)
    {
        if (http.WebSockets.IsWebSocketRequest)
        {
            return true;
        }

        if (http.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }

        return HttpMethods.IsGet(http.Request.Method)
            && http.Request.Headers.Upgrade.Any(v => v is not null && v.Contains("websocket", StringComparison.OrdinalIgnoreCase));
    }
}
