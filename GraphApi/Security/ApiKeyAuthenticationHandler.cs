using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Security;

/// <summary>Authenticates <c>X-Api-Key: SECRET</c> or <c>Authorization: ApiKey SECRET</c>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The whole answer to a refused key (401 body), the same for every reason.</summary>
    public const string Refused = "unknown or revoked API key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = Request.Headers["X-Api-Key"].FirstOrDefault();
        var authorization = Request.Headers.Authorization.FirstOrDefault();
        if (secret is null && authorization?.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) == true)
        {
            secret = authorization["ApiKey ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(secret))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        return Task.FromResult(keys.Find(secret) is { } key
            ? AuthenticateResult.Success(new AuthenticationTicket(ThreatGraphClaims.Principal(key, SchemeName), SchemeName))
            : AuthenticateResult.Fail(Refused));
    }
}
