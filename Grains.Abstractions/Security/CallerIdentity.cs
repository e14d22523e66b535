namespace ThreatGraph.Contracts.Security;

/// <summary>Who is asking: an organisation member (API key or JWT), an anonymous caller, or the system itself.</summary>
/// <param name="Org">Organisation id (e.g. <c>jp-nisc</c>); empty for anonymous.</param>
/// <param name="Member">Member id within the org (e.g. <c>jp-nisc/analyst1</c>); for API keys, the key's member.</param>
/// <param name="KeyId">Which credential was used (for audit); never the secret.</param>
/// <param name="Roles">analyst, auditor, ingest, federation, enrichment, share:…</param>
[GenerateSerializer, Immutable, Alias("tg.CallerIdentity")]
public sealed record CallerIdentity(
    [property: Id(0)] string Org,
    [property: Id(1)] string Member,
    [property: Id(2)] string KeyId,
    [property: Id(3)] IReadOnlyList<string> Roles)
{
    public const string SystemOrg = "@system";

    /// <summary>A peer deployment pulling over TAXII: sees only what may leave this deployment (<see cref="AccessPolicy"/>).</summary>
    public const string FederationRole = "federation";

    /// <summary>The enrichment host: writes what its jobs derive from ingested objects, with a key the operator issues.</summary>
    public const string EnrichmentRole = "enrichment";

    /// <summary>Role prefix that limits a federation key to what one organisation reported (<c>share:jp-nisc</c>).</summary>
    public const string SharePrefix = "share:";

    /// <summary>No credentials: sees TLP:CLEAR only (and only where configuration allows anonymous access).</summary>
    public static readonly CallerIdentity Anonymous = new("", "", "", []);

    /// <summary>The platform's own components (correlation, federation): sees everything, never returned to users.</summary>
    public static readonly CallerIdentity System = new(SystemOrg, SystemOrg, "", ["system"]);

    public bool IsAnonymous => Org.Length == 0;
    public bool IsSystem => Org == SystemOrg;
    public bool HasRole(string role) => Roles.Contains(role);
}
