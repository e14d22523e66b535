using System.Security.Claims;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>Claims of an authenticated caller, and the CallerIdentity made of them.</summary>
public static class ThreatGraphClaims
{
    public const string Org = "org";
    public const string Member = "sub";
    public const string KeyId = "key_id";

    /// <summary>Prefix of the key id of a bearer token's caller (audit): <c>jwt:&lt;member&gt;</c>.</summary>
    public const string TokenKeyIdPrefix = "jwt:";

    public static ClaimsPrincipal Principal(ApiKeyOptions key, string scheme) => Principal(key.Org, key.Member, key.Id, key.EffectiveRoles, scheme);

    /// <summary>A principal holding exactly these claims (bearer tokens are rebuilt with it, so nothing else a token
    /// carries — a key_id, a role under another claim name — reaches the caller).</summary>
    public static ClaimsPrincipal Principal(string org, string member, string keyId, IEnumerable<string> roles, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(Org, org), new Claim(Member, member), new Claim(KeyId, keyId),
            .. roles.Select(r => new Claim(ClaimTypes.Role, r)),
        ], scheme, Member, ClaimTypes.Role));

    /// <summary>The caller of a principal; anonymous when unauthenticated or when it names no organisation or a
    /// reserved one: whatever slipped past the credential checks, no principal becomes the system.</summary>
    public static CallerIdentity Caller(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true || user.FindFirst(Org)?.Value is not { Length: > 0 } org || CredentialRules.IsReservedOrg(org))
        {
            return CallerIdentity.Anonymous;
        }
        var member = user.FindFirst(Member)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? org;
        var roles = user.FindAll(ClaimTypes.Role).Concat(user.FindAll("roles")).Select(c => c.Value).Distinct().ToList();
        return new CallerIdentity(org, member, user.FindFirst(KeyId)?.Value ?? TokenKeyIdPrefix + member, roles);
    }
}
