using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Transport;

namespace ThreatGraph.GraphApi.Security;

/// <summary><c>connection_init</c> of graphql-transport-ws: credentials from the upgrade request's headers (checked by
/// the HTTP pipeline) or from the payload's <c>apiKey</c>, which is checked here under the same key rules and the same
/// failed-authentication limit as a header; then the per-key connection limit. A refusal closes with 4403.</summary>
public static class WebSocketAuthentication
{
    public static ValueTask<bool> AuthenticateAsync(ConnectionInitContext context)
    {
        var services = context.HttpContext.RequestServices;
        if (context.User.Identity?.IsAuthenticated != true && context.Payload?.GetValueOrDefault("apiKey") is string secret)
        {
            var address = context.HttpContext.Connection.RemoteIpAddress;
            var attempt = services.GetRequiredService<FailedAuthenticationLimiter>().Begin(address, secret);
            if (!attempt.Allowed)
            {
                return ValueTask.FromResult(false);
            }
            if (services.GetRequiredService<ApiKeyStore>().Find(secret) is not { } key)
            {
                attempt.Failed();
                services.GetRequiredService<ILoggerFactory>().CreateLogger("ThreatGraph.GraphApi.Security.Authentication")
                    .LogInformation("Authentication failed from {Address} (connection_init apiKey): {Reason}", address, ApiKeyAuthenticationHandler.Refused);
                return ValueTask.FromResult(false);
            }
            attempt.Succeeded();
            context.User = ThreatGraphClaims.Principal(key, ApiKeyAuthenticationHandler.SchemeName);
        }
        // The same admission as an HTTP request's; the upgrade's own header credentials passed the Handshake policy.
        if (CallerRequirement.Refusal(null, context.User, services.GetRequiredService<IOptionsMonitor<CommunityOptions>>().CurrentValue) is not null)
        {
            return ValueTask.FromResult(false);
        }
        var caller = ThreatGraphClaims.Caller(context.User);
        var security = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var slotKey = caller.IsAnonymous ? "anonymous:" + context.HttpContext.Connection.RemoteIpAddress : caller.KeyId;
        if (services.GetRequiredService<WebSocketConnectionLimiter>().TryAcquire(slotKey, security.MaxWebSocketConnectionsPerKey) is not { } slot)
        {
            return ValueTask.FromResult(false);
        }
        context.HttpContext.Response.RegisterForDispose(slot);
        context.HttpContext.RequestAborted.Register(slot.Dispose);
        return ValueTask.FromResult(true);
    }
}
