namespace ThreatGraph.Enrichment.Hosting;

/// <summary>How to reach the cluster (configuration section "Orleans", the silo's own keys and defaults): the gateway of a
/// local silo (<c>memory</c>, localhost clustering), or the Azure Table membership of a clustered deployment (<c>azure</c>).</summary>
public sealed class ClusterConnectionOptions
{
    public const string Section = "Orleans";

    public string Storage { get; set; } = "memory";
    public string? AzureStorageConnectionString { get; set; }
    public string ClusterId { get; set; } = "threatgraph-dev";
    public string ServiceId { get; set; } = "threatgraph";
    public int GatewayPort { get; set; } = 30000;

    public bool IsAzure => Storage == "azure";

    public IEnumerable<string> Validate()
    {
        if (Storage is not ("memory" or "azure"))
        {
            yield return $"{Section}:{nameof(Storage)} must be 'memory' or 'azure', not '{Storage}'";
        }
        if (IsAzure && string.IsNullOrWhiteSpace(AzureStorageConnectionString))
        {
            yield return $"{Section}:{nameof(AzureStorageConnectionString)} is required when {Section}:{nameof(Storage)} is azure";
        }
        if (GatewayPort is < 1 or > 65535)
        {
            yield return $"{Section}:{nameof(GatewayPort)} must be a port number, not {GatewayPort}";
        }
    }
}
