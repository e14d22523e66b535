using System.Security.Claims;
using ThreatGraph.Grains.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>Claims of an authenticated caller, and the CallerIdentity made of them.</summary>
public static class ThreatGraphClaims
{
    public const string Org = "org";
    public const string Member = "sub";
    public const string KeyId = "key_id";

    public static ClaimsPrincipal Principal(ApiKeyOptions key, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(Org, key.Org), new Claim(Member, key.Member), new Claim(KeyId, key.Id),
            .. key.Roles.Select(r => new Claim(ClaimTypes.Role, r)),
        ], scheme, Member, ClaimTypes.Role));

    public static CallerIdentity Caller(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true || user.FindFirst(Org)?.Value is not { Length: > 0 } org)
        {
            return CallerIdentity.Anonymous;
        }
        var member = user.FindFirst(Member)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? org;
        var roles = user.FindAll(ClaimTypes.Role).Concat(user.FindAll("roles")).Select(c => c.Value).Distinct().ToList();
        return new CallerIdentity(org, member, user.FindFirst(KeyId)?.Value ?? "jwt:" + member, roles);
    }
}
