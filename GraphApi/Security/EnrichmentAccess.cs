using GraphQL;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Who may do what with enrichment jobs through GraphQL, in one place (to become the <c>enrichment</c> authorization
/// policy): a job and its counts are its organisation's business, so only that organisation's members see it in
/// <c>enrichmentJobs</c>; its analysts and enrichment members may ask it to enrich objects; its analysts may reject what
/// it derived. Another organisation's job answers as if it did not exist.
/// </summary>
public static class EnrichmentAccess
{
    public const string AnalystRole = "analyst";

    public static bool MaySee(CallerIdentity caller, EnrichmentJobStatus job) => !caller.IsAnonymous && caller.Org == job.Org;

    public static void RequireMayRequest(CallerIdentity caller, EnrichmentJobStatus? job, string name)
    {
        RequireVisible(caller, job, name);
        if (!caller.HasRole(AnalystRole) && !caller.HasRole(EnrichmentJobs.Role))
        {
            throw new ExecutionError($"your key may not request enrichment (it lacks the '{AnalystRole}' or '{EnrichmentJobs.Role}' role)") { Code = "FORBIDDEN" };
        }
    }

    public static void RequireMayReject(CallerIdentity caller, EnrichmentJobStatus? job, string name)
    {
        RequireVisible(caller, job, name);
        if (!caller.HasRole(AnalystRole))
        {
            throw new ExecutionError($"your key may not reject enrichment (it lacks the '{AnalystRole}' role)") { Code = "FORBIDDEN" };
        }
    }

    static void RequireVisible(CallerIdentity caller, EnrichmentJobStatus? job, string name)
    {
        if (job is null || !MaySee(caller, job))
        {
            throw new ExecutionError($"no enrichment job named '{name}' is registered for your organisation") { Code = "NOT_FOUND" };
        }
    }
}
