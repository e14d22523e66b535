namespace ThreatGraph.Contracts.Nodes;

public static class NodeGrains
{
    /// <summary>The node grain for a STIX id, of the grain class that handles the id's type.</summary>
    public static INodeGrain GetNode(this IGrainFactory grains, string stixId)
    {
        var sep = stixId.IndexOf("--", StringComparison.Ordinal);
        var type = sep > 0 ? stixId[..sep] : "";
        return type switch
        {
            "indicator" => grains.Reference<IIndicatorGrain>(stixId),
            "incident" => grains.Reference<IIncidentGrain>(stixId),
            "campaign" => grains.Reference<ICampaignGrain>(stixId),
            "threat-actor" or "intrusion-set" => grains.Reference<IThreatActorGrain>(stixId),
            _ when Stix.StixTypes.IsObservable(type) => grains.Reference<IObservableGrain>(stixId),
            _ => grains.Reference<IStixObjectGrain>(stixId),
        };
    }
}
