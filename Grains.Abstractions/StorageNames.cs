namespace ThreatGraph.Contracts;

/// <summary>Provider names, in one place.</summary>
public static class StorageNames
{
    /// <summary>Grain storage for nodes, indexes and everything the graph must keep.</summary>
    public const string Graph = "graph";

    /// <summary>Stream pub/sub bookkeeping (Orleans requires this exact name).</summary>
    public const string PubSub = "PubSubStore";

    /// <summary>Stream provider for live updates (campaign and cluster events feeding GraphQL subscriptions): memory
    /// streams in one process, Azure Queue streams in azure mode.</summary>
    public const string Streams = "updates";
}
