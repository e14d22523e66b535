using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Rest;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Puts the authenticated caller into Orleans' RequestContext, so every grain call of the request carries it, and
/// refuses unauthenticated API calls unless anonymous (TLP:CLEAR) access is configured. WebSocket upgrades pass:
/// they authenticate in <c>connection_init</c>.
/// </summary>
public sealed class CallerMiddleware(RequestDelegate next, IOptions<CommunityOptions> community)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        var api = path.StartsWithSegments("/graphql") || path.StartsWithSegments("/api");
        if (!api)
        {
            await next(http);
            return;
        }
        var failure = http.Items.TryGetValue(AuthFailureKey, out var f) ? f as string : null;
        var caller = ThreatGraphClaims.Caller(http.User);
        if (failure is not null || (caller.IsAnonymous && !community.Value.AllowAnonymous && !http.WebSockets.IsWebSocketRequest
                                    && !IsUpgrade(http)))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "ApiKey, Bearer";
            await http.Response.WriteAsJsonAsync(ApiError.Of("UNAUTHENTICATED",
                failure ?? "send an API key (X-Api-Key: … or Authorization: ApiKey …) or a bearer token"), RestJson.Options);
            return;
        }
        CallerContext.Set(caller);
        await next(http);
    }

    /// <summary>Set by the authentication step when credentials were presented but are wrong.</summary>
    public const string AuthFailureKey = "tg.auth.failure";

    static bool IsUpgrade(HttpContext http) =>
        http.Request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase));
}
