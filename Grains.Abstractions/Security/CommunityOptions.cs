using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Contracts.Security;

/// <summary>The sharing community (configuration section "Community"): its organisations and their defaults.</summary>
public sealed class CommunityOptions
{
    public const string Section = "Community";

    /// <summary>Organisations by id (e.g. <c>jp-nisc</c>, <c>us-cisa</c>, <c>it-isac</c>).</summary>
    public Dictionary<string, OrganisationOptions> Organisations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether unauthenticated callers may read (TLP:CLEAR only, never write).</summary>
    public bool AllowAnonymous { get; set; }
}

public sealed class OrganisationOptions
{
    public string Name { get; set; } = "";

    /// <summary>TLP given to objects this organisation reports without a TLP marking.</summary>
    public TlpLevel DefaultTlp { get; set; } = TlpLevel.Green;

    /// <summary>Organisations served by this one (TLP:AMBER shared with this org may reach them: "and its clients").</summary>
    public List<string> Clients { get; set; } = [];

    /// <summary>The organisation's own STIX identity ids: only it may send them or name them as <c>created_by_ref</c>.</summary>
    public List<string> IdentityIds { get; set; } = [];
}
