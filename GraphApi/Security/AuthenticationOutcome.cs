using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.Rest;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// ASP.NET Core's authentication (the <see cref="SecurityExtensions.Scheme"/> schemes, run by <c>UseAuthentication</c>)
/// under the failed-authentication limit: before it, an address over its budget gets 429 and its new credential is not
/// checked; after it, the outcome is settled with the limiter and a refusal's reason goes to the log while the answer
/// carries a fixed message (<see cref="Refusal"/>), which the authorization step then sends as the 401.
/// </summary>
public static class AuthenticationOutcome
{
    const string AttemptKey = "tg.auth.attempt";
    const string RefusalKey = "tg.auth.refusal";

    /// <summary>The fixed message for credentials that were presented and refused, or null.</summary>
    public static string? Refusal(HttpContext http) => http.Items.TryGetValue(RefusalKey, out var r) ? r as string : null;

    public static WebApplication UseAuthenticationUnderFailureLimit(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ThreatGraph.GraphApi.Security.Authentication");
        app.Use(async (http, next) =>
        {
            var security = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
            var limiter = http.RequestServices.GetRequiredService<FailedAuthenticationLimiter>();
            if (PresentedCredential(http, security) is { } credential)
            {
                var attempt = limiter.Begin(http.Connection.RemoteIpAddress, credential);
                if (!attempt.Allowed)
                {
                    if (attempt.FirstDenial)
                    {
                        log.LogWarning("Too many failed authentications from {Address}: credentials it has not used before are refused unchecked for now",
                            FailedAuthenticationLimiter.KeyOf(http.Connection.RemoteIpAddress));
                    }
                    await TooManyFailuresAsync(http, attempt.RetryAfter, security);
                    return;
                }
                http.Items[AttemptKey] = attempt;
            }
            await next(http);
        });
        app.UseAuthentication();
        app.Use(async (http, next) =>
        {
            if (http.Items.TryGetValue(AttemptKey, out var item) && item is FailedAuthenticationLimiter.Attempt attempt)
            {
                // The handlers cache their result per request: this reads what UseAuthentication decided, it checks nothing again.
                var result = await http.AuthenticateAsync();
                if (result.Succeeded)
                {
                    attempt.Succeeded();
                }
                else if (result.Failure is { } failure)
                {
                    attempt.Failed();
                    var bearer = SecurityExtensions.IsBearer(http, http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value);
                    // The reason (IdentityModel's text can name the signing key) goes to the log only.
                    log.LogInformation("Authentication failed from {Address} ({Scheme}): {Reason}",
                        http.Connection.RemoteIpAddress, bearer ? "bearer" : "API key", failure.Message);
                    http.Items[RefusalKey] = bearer ? BearerTokens.Refused : ApiKeyAuthenticationHandler.Refused;
                }
                else
                {
                    attempt.NotChecked();
                }
            }
            await next(http);
        });
        return app;
    }

    /// <summary>The credential the authentication scheme will check (the bearer token's whole Authorization header,
    /// else the API key header, else the Authorization header), or null when none is presented.</summary>
    static string? PresentedCredential(HttpContext http, SecurityOptions security)
    {
        var authorization = http.Request.Headers.Authorization.FirstOrDefault();
        if (SecurityExtensions.IsBearer(http, security))
        {
            return authorization;
        }
        return http.Request.Headers["X-Api-Key"].FirstOrDefault() is { Length: > 0 } key ? key : authorization is { Length: > 0 } ? authorization : null;
    }

    /// <summary>429 for an address over its failed-authentication budget (on every path, in the REST error shape).</summary>
    static async Task TooManyFailuresAsync(HttpContext http, TimeSpan retryAfter, SecurityOptions security)
    {
        var seconds = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds;
        await http.Response.WriteAsJsonAsync(ApiError.Of("TOO_MANY_FAILED_AUTHENTICATIONS",
            $"more than {security.FailedAuthPerSecond} failed authentications per second (burst {security.FailedAuthBurst}) from your address; retry after {seconds} s"),
            RestJson.Options, http.RequestAborted);
    }
}
