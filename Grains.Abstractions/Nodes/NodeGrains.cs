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
            _ when Stix.StixTypes.IsObservable(type) => grains.GetGrain<IObservableGrain>(stixId),
            _ => grains.GetGrain<IStixObjectGrain>(stixId),
        };
    }
}
