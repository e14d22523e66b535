using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// The gateway's authorization policies: the one home of "who may call this endpoint". Every endpoint needs an admitted
/// caller (<see cref="CallerRequirement"/>: the default and the fallback policy, so an endpoint nobody marked is
/// closed); each role of <see cref="Roles.WithPolicy"/> is a policy of the same name that also needs the role. Which
/// objects a caller then sees is not decided here but by the TLP access policy in the grains.
/// </summary>
public static class AccessPolicies
{
    /// <summary>The graphql-transport-ws upgrade: refused only for credentials that fail; <c>connection_init</c> decides the rest.</summary>
    public const string Handshake = "handshake";

    public static IServiceCollection AddThreatGraphAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, CallerRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessRefusalWriter>();
        var caller = new AuthorizationPolicyBuilder().AddRequirements(CallerRequirement.Request).Build();
        var policies = services.AddAuthorizationBuilder()
            .SetDefaultPolicy(caller)
            .SetFallbackPolicy(caller)
            .AddPolicy(Handshake, p => p.AddRequirements(CallerRequirement.Handshake));
        foreach (var role in Roles.WithPolicy)
        {
            policies.AddPolicy(role, p => p.AddRequirements(CallerRequirement.Request).RequireRole(role));
        }
        return services;
    }

    /// <summary>The message of a refusal for lack of <paramref name="role"/>, the same on every surface.</summary>
    public static string MissingRole(string role) => $"your credentials may not do this: it needs the '{role}' role";
}
