using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Bearer tokens (HS256, <c>Security:Jwt:*</c>): what a validly signed token must say before it stands for anyone
/// (README "Who sees what"). Exactly one <c>org</c>, a known and unreserved organisation; exactly one <c>sub</c>,
/// a member <c>&lt;org&gt;/&lt;name&gt;</c>; roles (claims <c>roles</c>, <c>role</c> or the long role claim type) only
/// from <see cref="JwtOptions.AllowedRoles"/>. A token saying anything else authenticates nobody. The caller is rebuilt
/// from these three claims alone, with key id <c>jwt:&lt;member&gt;</c>: nothing else in a token reaches the caller.
/// </summary>
public static class BearerTokens
{
    /// <summary>The whole answer to a refused token (401 body); the reason is logged, never sent.</summary>
    public const string Refused = "invalid bearer token";

    public static void Configure(JwtBearerOptions o, JwtOptions jwt)
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey!)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidIssuer = jwt.Issuer, ValidateIssuer = jwt.Issuer is not null,
            ValidAudience = jwt.Audience, ValidateAudience = jwt.Audience is not null,
            RoleClaimType = "roles", NameClaimType = ThreatGraphClaims.Member,
        };
        var allowed = jwt.EffectiveAllowedRoles.ToHashSet(StringComparer.Ordinal);
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var community = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<CommunityOptions>>().CurrentValue;
                var claims = context.Principal?.Claims.ToList() ?? [];
                if (Problem(claims, community, allowed, out var caller) is { } problem)
                {
                    context.Fail(problem);
                }
                else
                {
                    context.Principal = caller;
                }
                return Task.CompletedTask;
            },
        };
    }

    static string? Problem(List<Claim> claims, CommunityOptions community, HashSet<string> allowed, out ClaimsPrincipal? caller)
    {
        caller = null;
        var orgs = claims.Where(c => c.Type == ThreatGraphClaims.Org).Select(c => c.Value).ToList();
        var members = claims.Where(c => c.Type == ThreatGraphClaims.Member).Select(c => c.Value).ToList();
        var roles = claims.Where(c => c.Type is "roles" or "role" or ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        if (orgs.Count != 1)
        {
            return $"the token carries {orgs.Count} org claims, not one";
        }
        var org = orgs[0];
        if (CredentialRules.OrgProblem(org, community) is { } orgProblem)
        {
            return "the token " + orgProblem;
        }
        if (members.Count != 1)
        {
            return $"the token carries {members.Count} sub claims, not one";
        }
        if (CredentialRules.MemberProblem(org, members[0]) is { } memberProblem)
        {
            return "the token " + memberProblem;
        }
        if (roles.FirstOrDefault(r => !allowed.Contains(r) || Roles.IsKeyOnly(r)) is { } role)
        {
            return $"the token claims the role '{role}', which Security:Jwt:AllowedRoles does not allow";
        }
        caller = ThreatGraphClaims.Principal(org, members[0], ThreatGraphClaims.TokenKeyIdPrefix + members[0], roles, JwtBearerDefaults.AuthenticationScheme);
        return null;
    }
}
