using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>This deployment's name and the peers it pulls from (configuration section "Federation"; README "Share with a peer").</summary>
public sealed class FederationOptions
{
    public const string Section = "Federation";

    /// <summary>This deployment's name, written into the provenance of every object it serves to a peer (e.g. <c>jp</c>).</summary>
    public string Deployment { get; set; } = "local";

    public List<FederationPeerOptions> Peers { get; set; } = [];
}

/// <summary>What a peer is: another ThreatGraph deployment, or any TAXII 2.1 server.</summary>
public enum FederationPeerKind
{
    /// <summary>Its objects carry <c>x_threatgraph_provenance</c>, which is required (objects without it are refused).</summary>
    ThreatGraph,

    /// <summary>A plain TAXII 2.1 server (medallion, a vendor or government feed): the receiver records the provenance
    /// itself from the peer's settings, and pages defensively (<see cref="PlainTaxiiPuller"/>).</summary>
    Taxii,
}

/// <summary>One peer deployment this one pulls from over TAXII 2.1.</summary>
public sealed class FederationPeerOptions
{
    /// <summary><c>ThreatGraph</c> (default) or <c>Taxii</c> for a server that is not ThreatGraph.</summary>
    public FederationPeerKind Kind { get; set; } = FederationPeerKind.ThreatGraph;

    /// <summary>Plain TAXII server only: the organisation its objects are recorded as reported by (it must be one this
    /// deployment accepts: in <see cref="AcceptOrgs"/>, or of the community when that is empty).</summary>
    public string Organisation { get; set; } = "";

    /// <summary>Plain TAXII server only: the deployment name recorded in its objects' provenance (default: <see cref="Name"/>).</summary>
    public string Deployment { get; set; } = "";

    /// <summary>Plain TAXII server only: the TLP of its objects that carry no TLP marking (clear, green, amber,
    /// amber+strict, red). Required: a feed's sharing terms are the operator's to state, not ours to guess.</summary>
    public string DefaultTlp { get; set; } = "";

    /// <summary>The scheme of the Authorization header: <c>ApiKey</c> for ThreatGraph; e.g. <c>Basic</c> (with the
    /// base64 of user:password as <see cref="ApiKey"/>) or <c>Bearer</c> for other servers.</summary>
    public string AuthScheme { get; set; } = "ApiKey";

    /// <summary>Seconds one request to the peer may take; a slower answer is a failed poll (backed off).</summary>
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Pages one poll reads at most; a poll that stops here continues at the next poll (a peer that says
    /// <c>more</c> for ever cannot hold the job).</summary>
    public int MaxPagesPerPoll { get; set; } = 1000;

    /// <summary>The deployment name written in the provenance of this peer's objects.</summary>
    public string DeploymentName => string.IsNullOrWhiteSpace(Deployment) ? Name : Deployment;

    /// <summary>Short name: the key of its checkpoint and the name in <c>federationPeers</c> (e.g. <c>jp</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The peer's TAXII API root, e.g. <c>http://jp.example:5080/taxii2/threatgraph/</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>The collection to pull (a ThreatGraph peer's shared collection by default).</summary>
    public string Collection { get; set; } = TaxiiCollections.DefaultId;

    /// <summary>The secret of the API key the peer issued to this deployment (a key with the <c>federation</c> role).
    /// Put it in the environment (<c>Federation__Peers__0__ApiKey</c>), not in a file under version control.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The organisation that key belongs to on the peer: TLP:AMBER objects are taken only when they name it.</summary>
    public string ReceivingOrg { get; set; } = "";

    /// <summary>Organisations whose reports are taken from this peer; empty: any organisation of this community.</summary>
    public List<string> AcceptOrgs { get; set; } = [];

    /// <summary>Seconds between polls once caught up (a poll reads pages until the peer has no more).</summary>
    public double PollSeconds { get; set; } = 5;

    /// <summary>Objects per TAXII page (the peer may lower it).</summary>
    public int PageSize { get; set; } = 500;
}

/// <summary>Checks the peers at start-up, naming the setting that is wrong.</summary>
public sealed class FederationOptionsValidator : IValidateOptions<FederationOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Deployment))
        {
            errors.Add("Federation:Deployment must name this deployment");
        }
        for (var i = 0; i < options.Peers.Count; i++)
        {
            var p = options.Peers[i];
            var at = $"Federation:Peers:{i}";
            if (string.IsNullOrWhiteSpace(p.Name)) errors.Add($"{at}:Name is required");
            if (!Uri.TryCreate(p.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                errors.Add($"{at}:Url must be the peer's TAXII API root (http or https), not '{p.Url}'");
            if (string.IsNullOrWhiteSpace(p.ApiKey)) errors.Add($"{at}:ApiKey is required (the key the peer issued to this deployment)");
            if (string.IsNullOrWhiteSpace(p.ReceivingOrg)) errors.Add($"{at}:ReceivingOrg is required (the organisation of that key on the peer)");
            if (string.IsNullOrWhiteSpace(p.Collection)) errors.Add($"{at}:Collection is required");
            if (p.PollSeconds is < 0.1 or > 86_400) errors.Add($"{at}:PollSeconds must be between 0.1 and 86400");
            if (p.PageSize is < 1 or > 10_000) errors.Add($"{at}:PageSize must be between 1 and 10000");
            if (p.TimeoutSeconds is < 0.1 or > 3_600) errors.Add($"{at}:TimeoutSeconds must be between 0.1 and 3600");
            if (p.MaxPagesPerPoll < 1) errors.Add($"{at}:MaxPagesPerPoll must be at least 1");
            if (string.IsNullOrWhiteSpace(p.AuthScheme) || p.AuthScheme.Any(char.IsWhiteSpace))
                errors.Add($"{at}:AuthScheme must be one word (ApiKey, Basic, Bearer…)");
            if (p.Kind == FederationPeerKind.Taxii)
            {
                if (string.IsNullOrWhiteSpace(p.Organisation))
                    errors.Add($"{at}:Organisation is required for a plain TAXII server (the organisation its objects are recorded as reported by)");
                if (Provenance.TlpOf(p.DefaultTlp) is null)
                    errors.Add($"{at}:DefaultTlp is required for a plain TAXII server: the TLP of its unmarked objects (clear, green, amber, amber+strict or red), not '{p.DefaultTlp}'");
            }
        }
        foreach (var dup in options.Peers.GroupBy(p => p.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"Federation:Peers: the name '{dup.Key}' is used twice");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
