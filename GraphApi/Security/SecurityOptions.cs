using System.ComponentModel.DataAnnotations;

namespace ThreatGraph.GraphApi.Security;

/// <summary>Credentials and abuse limits of the gateway (configuration section "Security").</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>A JSON file of API keys (<c>{"keys": [...]}</c>, same shape as <see cref="Keys"/>), re-read when it
    /// changes: keys are rotated by editing the file, without a restart. The path itself is read at start-up.</summary>
    public string? KeysFile { get; set; }

    /// <summary>API keys from configuration (appsettings, environment <c>Security__Keys__0__Sha256</c>, …).</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    /// <summary>Optional JWT bearer tokens (HS256); off unless a signing key is set.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Requests per second per organisation (token bucket; anonymous callers share one bucket per address).</summary>
    [Range(1, 100_000)] public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Burst allowance of the token bucket.</summary>
    [Range(1, 100_000)] public int Burst { get; set; } = 200;

    /// <summary>Open graphql-transport-ws connections per credential.</summary>
    [Range(1, 10_000)] public int MaxWebSocketConnectionsPerKey { get; set; } = 10;

    /// <summary>Aliased fields in one GraphQL document (aliases multiply work cheaply).</summary>
    [Range(1, 10_000)] public int MaxAliases { get; set; } = 50;

    /// <summary>Failed authentications per second per client address (token bucket, README "Abuse limits").</summary>
    [Range(1, 100_000)] public int FailedAuthPerSecond { get; set; } = 10;

    /// <summary>Burst allowance of the failed-authentication bucket.</summary>
    [Range(1, 100_000)] public int FailedAuthBurst { get; set; } = 20;
}

public sealed class ApiKeyOptions
{
    /// <summary>Public id of the key (appears in audit records), e.g. <c>jp-analyst-1</c>.</summary>
    public string Id { get; set; } = "";
    public string Org { get; set; } = "";
    /// <summary>Member the key belongs to, e.g. <c>jp-nisc/analyst1</c> (TLP:RED names members).</summary>
    public string Member { get; set; } = "";
    /// <summary>Lower-case hex SHA-256 of the secret; the secret itself is never stored.</summary>
    public string Sha256 { get; set; } = "";
    /// <summary>analyst (read), ingest (write), auditor (read the audit log), federation (a peer deployment),
    /// enrichment (the enrichment host); see <see cref="Roles"/>.
    /// Null (not given): analyst and ingest. Nullable on purpose: the configuration binder appends to a list that
    /// already has items, so a default list would add analyst and ingest to every configured key's roles.</summary>
    public List<string>? Roles { get; set; }

    public static readonly IReadOnlyList<string> DefaultRoles = [Security.Roles.Analyst, Security.Roles.Ingest];

    public IReadOnlyList<string> EffectiveRoles => Roles ?? DefaultRoles;
}

public sealed class JwtOptions
{
    public string? SigningKey { get; set; }
    public string? Issuer { get; set; }
    public string? Audience { get; set; }

    /// <summary>The roles a bearer token may carry; a token with any other role authenticates nobody. Null (not
    /// given): analyst and ingest. Never <c>federation</c>, <c>enrichment</c>, <c>system</c> or <c>share:…</c> (keys only; checked at
    /// start-up). Nullable for the reason given at <see cref="ApiKeyOptions.Roles"/>.</summary>
    public List<string>? AllowedRoles { get; set; }

    public static readonly IReadOnlyList<string> DefaultAllowedRoles = [Roles.Analyst, Roles.Ingest];

    public IReadOnlyList<string> EffectiveAllowedRoles => AllowedRoles ?? DefaultAllowedRoles;
}
