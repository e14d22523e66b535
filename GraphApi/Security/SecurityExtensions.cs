using System.Security.Claims;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using ThreatGraph.GraphApi.Rest;

namespace ThreatGraph.GraphApi.Security;

public static class SecurityExtensions
{
    public const string Scheme = "ApiKeyOrBearer";

    public static IServiceCollection AddThreatGraphSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SecurityOptions.Section);
        services.AddOptions<SecurityOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var security = section.Get<SecurityOptions>() ?? new SecurityOptions();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<WebSocketConnectionLimiter>();

        var auth = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or bearer token", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.FirstOrDefault()?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true
                && security.Jwt.SigningKey is not null
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        if (security.Jwt.SigningKey is { } key)
        {
            auth.AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
                    ValidIssuer = security.Jwt.Issuer, ValidateIssuer = security.Jwt.Issuer is not null,
                    ValidAudience = security.Jwt.Audience, ValidateAudience = security.Jwt.Audience is not null,
                    RoleClaimType = "roles", NameClaimType = ThreatGraphClaims.Member,
                };
            });
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

    /// <summary>Authentication, the caller into RequestContext, then the per-organisation rate limit.</summary>
    public static WebApplication UseThreatGraphSecurity(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var result = await http.AuthenticateAsync(Scheme);
            if (result.Succeeded)
            {
                http.User = result.Principal;
            }
            else if (result.Failure is { } failure)
            {
                http.Items[CallerMiddleware.AuthFailureKey] = failure.Message;
            }
            await next(http);
        });
        app.UseMiddleware<CallerMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    public static bool HasRole(this ClaimsPrincipal user, string role) => user.IsInRole(role) || user.HasClaim("roles", role);
}
