using GraphQL;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ThreatGraph.GraphApi.Security;

/// <summary>A GraphQL field that needs a role asks the same authorization policy as an endpoint would
/// (<see cref="AccessPolicies"/>); a refusal is a field error with code FORBIDDEN (the rest of the response stands).</summary>
public static class FieldAuthorization
{
    public static async Task RequirePolicyAsync(this IResolveFieldContext context, string policy)
    {
        var authorization = context.RequestServices!.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(context.User ?? new System.Security.Claims.ClaimsPrincipal(), policy);
        if (!result.Succeeded)
        {
            throw new ExecutionError(AccessPolicies.MissingRole(policy)) { Code = "FORBIDDEN" };
        }
    }
}
