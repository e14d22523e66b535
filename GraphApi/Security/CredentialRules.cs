using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// What a credential may name (README "Who sees what", credentials): the one home of these rules, asked by the key
/// store (configuration and the keys file), by bearer-token validation and by <see cref="ThreatGraphClaims.Caller"/>.
/// An organisation is a credential's only when it is one of <c>Community:Organisations</c> and not reserved;
/// a member is <c>&lt;org&gt;/&lt;name&gt;</c> (TLP:RED names members, so a member id of another organisation
/// would read what was shared with that person).
/// </summary>
public static class CredentialRules
{
    /// <summary>Organisation ids starting with this are the platform's own (<see cref="CallerIdentity.SystemOrg"/>).</summary>
    public const string ReservedPrefix = "@";

    /// <summary>True for the empty id (anonymous) and every <c>@…</c> id (the platform): no credential carries them.</summary>
    public static bool IsReservedOrg(string? org) =>
        string.IsNullOrEmpty(org) || org.StartsWith(ReservedPrefix, StringComparison.Ordinal);

    /// <summary>Why a credential may not name this organisation, or null when it may. Names the organisation only.</summary>
    public static string? OrgProblem(string? org, CommunityOptions community)
    {
        if (string.IsNullOrEmpty(org))
        {
            return "names no organisation";
        }
        if (IsReservedOrg(org))
        {
            return $"names the organisation '{org}': ids starting with '{ReservedPrefix}' are reserved for the platform";
        }
        return community.Organisations.ContainsKey(org) ? null : $"names the organisation '{org}', which is not one of Community:Organisations";
    }

    /// <summary>Why a credential of <paramref name="org"/> may not name this member, or null when it may.</summary>
    public static string? MemberProblem(string org, string? member) =>
        member is { Length: > 0 } m && m.StartsWith(org + "/", StringComparison.Ordinal) && m.Length > org.Length + 1
            ? null
            : $"names the member '{member}', which is not '{org}/<name>'";
}
