using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>The roles a credential may carry (README "Who sees what"); each but <see cref="System"/> names an
/// authorization policy of the same name (<see cref="AccessPolicies"/>).</summary>
public static class Roles
{
    /// <summary>Reads the graph and overrides severities of its own organisation's incidents.</summary>
    public const string Analyst = "analyst";

    /// <summary>Writes: POST /api/bundles, TAXII POST objects, the ingestBundle mutation.</summary>
    public const string Ingest = "ingest";

    /// <summary>Reads its own organisation's audit records.</summary>
    public const string Auditor = "auditor";

    /// <summary>A peer deployment pulling over TAXII (keys only).</summary>
    public const string Federation = CallerIdentity.FederationRole;

    /// <summary>The enrichment host (keys only).</summary>
    public const string Enrichment = CallerIdentity.EnrichmentRole;

    /// <summary>The role of <see cref="CallerIdentity.System"/>; no credential carries it.</summary>
    public const string System = "system";

    /// <summary>The roles that have a policy of their own.</summary>
    public static readonly IReadOnlyList<string> WithPolicy = [Analyst, Ingest, Auditor, Federation, Enrichment];

    /// <summary>Roles of the platform and of peer deployments: carried by API keys the operator issues, never by a
    /// bearer token (whatever <c>Security:Jwt:AllowedRoles</c> says).</summary>
    public static bool IsKeyOnly(string role) =>
        role is Federation or Enrichment or System || role.StartsWith(CallerIdentity.SharePrefix, StringComparison.Ordinal);
}
