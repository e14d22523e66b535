using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Taxii;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>This deployment's name and the peers it pulls from (configuration section "Federation"; README "Share with a peer").</summary>
public sealed class FederationOptions
{
    public const string Section = "Federation";

    /// <summary>This deployment's name, written into the provenance of every object it serves to a peer (e.g. <c>jp</c>).</summary>
    public string Deployment { get; set; } = "local";

    public List<FederationPeerOptions> Peers { get; set; } = [];
}

/// <summary>One peer deployment this one pulls from over TAXII 2.1.</summary>
public sealed class FederationPeerOptions
{
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
        }
        foreach (var dup in options.Peers.GroupBy(p => p.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"Federation:Peers: the name '{dup.Key}' is used twice");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
