using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.Rest;

namespace ThreatGraph.GraphApi.Security;

public static class SecurityExtensions
{
    /// <summary>The default authentication scheme: the bearer scheme for a bearer token (while tokens are on), else the API key scheme.</summary>
    public const string Scheme = "ApiKeyOrBearer";

    public static IServiceCollection AddThreatGraphSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SecurityOptions.Section);
        services.AddOptions<SecurityOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        var security = section.Get<SecurityOptions>() ?? new SecurityOptions();
        services.AddSingleton<ApiKeysFileSource>();
        services.AddSingleton<IConfigureOptions<ApiKeysFile>>(sp => sp.GetRequiredService<ApiKeysFileSource>());
        services.AddSingleton<IOptionsChangeTokenSource<ApiKeysFile>>(sp => sp.GetRequiredService<ApiKeysFileSource>());
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyStore>());
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddSingleton<WebSocketConnectionLimiter>();
        services.AddThreatGraphAuthorization();

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

    /// <summary>Authentication (the schemes, under the failed-authentication limit), authorization (the policies of
    /// <see cref="AccessPolicies"/>), the caller into RequestContext, then the per-organisation rate limit.</summary>
    public static WebApplication UseThreatGraphSecurity(this WebApplication app)
    {
        app.UseAuthenticationUnderFailureLimit();
        app.UseAuthorization();
        app.UseMiddleware<CallerMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Whether the request is for the bearer scheme (a bearer token while tokens are on).</summary>
    public static bool IsBearer(HttpContext http, SecurityOptions security) =>
        security.Jwt.SigningKey is not null
        && http.Request.Headers.Authorization.FirstOrDefault()?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true;
}
