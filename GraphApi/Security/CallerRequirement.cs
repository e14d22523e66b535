using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Who may call the API at all (README "Who sees what"): a caller whose credentials authenticated or, where
/// <c>Community:AllowAnonymous</c> is set, someone who presented none (a TLP:CLEAR reader). Credentials that were
/// presented and refused are never admitted, not even as anonymous. <see cref="Handshake"/> also admits an
/// unauthenticated WebSocket upgrade: it authenticates in <c>connection_init</c>.
/// </summary>
public sealed class CallerRequirement : IAuthorizationRequirement
{
    public static readonly CallerRequirement Request = new(admitsUnauthenticated: false);
    public static readonly CallerRequirement Handshake = new(admitsUnauthenticated: true);

    CallerRequirement(bool admitsUnauthenticated) => AdmitsUnauthenticated = admitsUnauthenticated;

    public bool AdmitsUnauthenticated { get; }

    /// <summary>Why this request is not admitted by <see cref="Request"/> (the 401's message), or null when it is.
    /// Without an HTTP request (a GraphQL operation over WebSocket) only the principal is judged.</summary>
    public static string? Refusal(HttpContext? http, ClaimsPrincipal? user, CommunityOptions community)
    {
        if (http is not null && AuthenticationOutcome.Refusal(http) is { } refused)
        {
            return refused;
        }
        return ThreatGraphClaims.Caller(user).IsAnonymous && !community.AllowAnonymous
            ? "send an API key (X-Api-Key: … or Authorization: ApiKey …) or a bearer token"
            : null;
    }
}

/// <summary>Judges <see cref="CallerRequirement"/>; the HTTP request is the resource when the authorization middleware asks.</summary>
public sealed class CallerRequirementHandler(IOptionsMonitor<CommunityOptions> community) : AuthorizationHandler<CallerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        var admitted = requirement.AdmitsUnauthenticated
            ? http is null || AuthenticationOutcome.Refusal(http) is null
            : CallerRequirement.Refusal(http, context.User, community.CurrentValue) is null;
        if (admitted)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
