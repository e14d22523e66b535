namespace ThreatGraph.Grains.Nodes;

public static class NodeGrains
{
    /// <summary>The node grain for a STIX id, of the grain class that handles the id's type.</summary>
    public static INodeGrain GetNode(this IGrainFactory grains, string stixId)
    {
        var sep = stixId.IndexOf("--", StringComparison.Ordinal);
        var type = sep > 0 ? stixId[..sep] : "";
        return type switch
        {
            "indicator" => grains.GetGrain<IIndicatorGrain>(stixId),
            "incident" => grains.GetGrain<IIncidentGrain>(stixId),
            "campaign" => grains.GetGrain<ICampaignGrain>(stixId),
            "threat-actor" or "intrusion-set" => grains.GetGrain<IThreatActorGrain>(stixId),
            _ when ObservableTypes.Contains(type) => grains.GetGrain<IObservableGrain>(stixId),
            _ => grains.GetGrain<IStixObjectGrain>(stixId),
        };
    }

    // Kept here (not in Stix) so that the abstractions stay free of the STIX library.
    static readonly HashSet<string> ObservableTypes = new(StringComparer.Ordinal)
    {
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
        "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    };
}
