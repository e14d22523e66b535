using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.Rest;

namespace ThreatGraph.GraphApi.Security;

public static class SecurityExtensions
{
    public const string Scheme = "ApiKeyOrBearer";

    public static IServiceCollection AddThreatGraphSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SecurityOptions.Section);
        services.AddOptions<SecurityOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        var security = section.Get<SecurityOptions>() ?? new SecurityOptions();
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyStore>());
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddSingleton<WebSocketConnectionLimiter>();

        var auth = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or bearer token", o => o.ForwardDefaultSelector = http =>
                IsBearer(http, security) ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        if (security.Jwt.SigningKey is not null)
        {
            auth.AddJwtBearer(o => BearerTokens.Configure(o, security.Jwt));
        }

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var org = http.User.FindFirst(ThreatGraphClaims.Org)?.Value;
                var partition = org ?? "anonymous:" + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = security.Burst, TokensPerPeriod = security.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
                });
            });
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "1";
                await ctx.HttpContext.Response.WriteAsJsonAsync(ApiError.Of("RATE_LIMITED",
                    $"more than {security.RequestsPerSecond} requests per second (burst {security.Burst}) for your organisation; retry after 1 s"),
                    RestJson.Options, ct);
            };
        });
        return services;
    }

    /// <summary>Authentication (credentials checked under the failed-authentication limit; a refusal is answered
    /// with a fixed message, its reason logged), the caller into RequestContext, then the per-organisation rate limit.</summary>
    public static WebApplication UseThreatGraphSecurity(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ThreatGraph.GraphApi.Security.Authentication");
        app.Use(async (http, next) =>
        {
            var security = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
            var limiter = http.RequestServices.GetRequiredService<FailedAuthenticationLimiter>();
            var attempt = PresentedCredential(http, security) is { } credential ? limiter.Begin(http.Connection.RemoteIpAddress, credential) : null;
            if (attempt is { Allowed: false })
            {
                if (attempt.FirstDenial)
                {
                    log.LogWarning("Too many failed authentications from {Address}: credentials it has not used before are refused unchecked for now",
                        FailedAuthenticationLimiter.KeyOf(http.Connection.RemoteIpAddress));
                }
                await TooManyFailuresAsync(http, attempt.RetryAfter, security);
                return;
            }
            var result = await http.AuthenticateAsync(Scheme);
            if (result.Succeeded)
            {
                http.User = result.Principal;
                attempt?.Succeeded();
            }
            else if (result.Failure is { } failure)
            {
                attempt?.Failed();
                var bearer = IsBearer(http, security);
                // The reason (IdentityModel's text can name the signing key) goes to the log only.
                log.LogInformation("Authentication failed from {Address} ({Scheme}): {Reason}",
                    http.Connection.RemoteIpAddress, bearer ? "bearer" : "API key", failure.Message);
                http.Items[CallerMiddleware.AuthFailureKey] = bearer ? BearerTokens.Refused : ApiKeyAuthenticationHandler.Refused;
            }
            else
            {
                attempt?.NotChecked();
            }
            await next(http);
        });
        app.UseMiddleware<CallerMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The credential the authentication scheme will check (the bearer token's whole Authorization header,
    /// else the API key header, else the Authorization header), or null when none is presented.</summary>
    static string? PresentedCredential(HttpContext http, SecurityOptions security)
    {
        var authorization = http.Request.Headers.Authorization.FirstOrDefault();
        if (IsBearer(http, security))
        {
            return authorization;
        }
        return http.Request.Headers["X-Api-Key"].FirstOrDefault() is { Length: > 0 } key ? key : authorization is { Length: > 0 } ? authorization : null;
    }

    /// <summary>429 for an address over its failed-authentication budget (also on TAXII paths, in the REST error shape).</summary>
    static async Task TooManyFailuresAsync(HttpContext http, TimeSpan retryAfter, SecurityOptions security)
    {
        var seconds = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds;
        await http.Response.WriteAsJsonAsync(ApiError.Of("TOO_MANY_FAILED_AUTHENTICATIONS",
            $"more than {security.FailedAuthPerSecond} failed authentications per second (burst {security.FailedAuthBurst}) from your address; retry after {seconds} s"),
            RestJson.Options, http.RequestAborted);
    }

    static bool IsBearer(HttpContext http, SecurityOptions security) =>
        security.Jwt.SigningKey is not null
        && http.Request.Headers.Authorization.FirstOrDefault()?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true;

    public static bool HasRole(this ClaimsPrincipal user, string role) => user.IsInRole(role) || user.HasClaim("roles", role);
}
