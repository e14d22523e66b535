using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Rest;
using ThreatGraph.GraphApi.Taxii;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Answers a request the authorization policies refuse, in the error shape of its surface: 401 when the caller is not
/// admitted (<see cref="CallerRequirement"/>; with <c>WWW-Authenticate: ApiKey, Bearer</c>), else 403 for the missing
/// role (recorded in the audit log). TAXII paths get a TAXII error resource, every other path (REST, and GraphQL's
/// HTTP endpoint, whose 401 precedes any GraphQL processing) the REST error body. GraphQL fields that need a role
/// refuse with a GraphQL error instead (<see cref="FieldAuthorization"/>).
/// </summary>
public sealed class AccessRefusalWriter(IOptionsMonitor<CommunityOptions> community, AuditTrail audit) : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler _allowed = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var http = context;
        if (!authorizeResult.Challenged && !authorizeResult.Forbidden)
        {
            await _allowed.HandleAsync(next, http, policy, authorizeResult);
            return;
        }
        var taxii = http.Request.Path.StartsWithSegments("/taxii2");
        if (CallerRequirement.Refusal(http, http.User, community.CurrentValue) is { } unauthenticated)
        {
            http.Response.Headers.WWWAuthenticate = "ApiKey, Bearer";
            await WriteAsync(http, taxii, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", "Unauthorized", unauthenticated);
            return;
        }
        var role = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).FirstOrDefault() ?? "?";
        audit.Record(ThreatGraphClaims.Caller(http.User), $"{(taxii ? "taxii" : "rest")} {http.Request.Method} {http.Request.Path}",
            !HttpMethods.IsGet(http.Request.Method), [], "forbidden");
        await WriteAsync(http, taxii, StatusCodes.Status403Forbidden, "FORBIDDEN", "Forbidden", AccessPolicies.MissingRole(role));
    }

    static Task WriteAsync(HttpContext http, bool taxii, int status, string code, string title, string message)
    {
        if (taxii)
        {
            return TaxiiResults.Error(status, title, message).ExecuteAsync(http);
        }
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(ApiError.Of(code, message), RestJson.Options, http.RequestAborted);
    }
}
