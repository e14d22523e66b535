using GraphQL;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Who may do what with enrichment jobs through GraphQL, in one place: a job and its counts are its organisation's
/// business, so only that organisation's members see it in <c>enrichmentJobs</c>; its analysts and enrichment members
/// (the <see cref="Roles.Analyst"/> or <see cref="Roles.Enrichment"/> policy) may ask it to enrich objects; its analysts
/// may reject what it derived. Another organisation's job answers as if it did not exist.
/// </summary>
public static class EnrichmentAccess
{
    public static bool MaySee(CallerIdentity caller, EnrichmentJobStatus job) => !caller.IsAnonymous && caller.Org == job.Org;

    public static async Task RequireMayRequestAsync(IResolveFieldContext context, CallerIdentity caller, EnrichmentJobStatus? job, string name)
    {
        RequireVisible(caller, job, name);
        var authorization = context.RequestServices!.GetRequiredService<IAuthorizationService>();
        var user = context.User ?? new System.Security.Claims.ClaimsPrincipal();
        if (!(await authorization.AuthorizeAsync(user, Roles.Analyst)).Succeeded && !(await authorization.AuthorizeAsync(user, Roles.Enrichment)).Succeeded)
        {
            throw new ExecutionError($"your key may not request enrichment (it lacks the '{Roles.Analyst}' or '{Roles.Enrichment}' role)") { Code = "FORBIDDEN" };
        }
    }

    public static async Task RequireMayRejectAsync(IResolveFieldContext context, CallerIdentity caller, EnrichmentJobStatus? job, string name)
    {
        RequireVisible(caller, job, name);
        await context.RequirePolicyAsync(Roles.Analyst);
    }

    static void RequireVisible(CallerIdentity caller, EnrichmentJobStatus? job, string name)
    {
        if (job is null || !MaySee(caller, job))
        {
            throw new ExecutionError($"no enrichment job named '{name}' is registered for your organisation") { Code = "NOT_FOUND" };
        }
    }
}
