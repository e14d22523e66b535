using System.ComponentModel.DataAnnotations;

namespace ThreatGraph.Silo.Hosting;

/// <summary>How this process joins (or forms) the Orleans cluster (configuration section "Orleans").</summary>
public sealed class ThreatGraphSiloOptions
{
    public const string Section = "Orleans";

    /// <summary>Volatile in-process storage and localhost clustering: one process, nothing survives it.</summary>
    public const string MemoryStorage = "memory";

    /// <summary>Azure Storage (Azurite locally): grain state in one table (group commit), table membership and pub/sub, queue streams.</summary>
    public const string AzureStorage = "azure";

    /// <summary>Configuration keys, as the deploy files and the README name them (a test keeps them in step).</summary>
    public static class Keys
    {
        public const string Storage = "Orleans:Storage";
        public const string AzureStorageConnectionString = "Orleans:AzureStorageConnectionString";
        public const string ClusterId = "Orleans:ClusterId";
        public const string ServiceId = "Orleans:ServiceId";
        public const string SiloPort = "Orleans:SiloPort";
        public const string GatewayPort = "Orleans:GatewayPort";
        public const string AdvertisedIP = "Orleans:AdvertisedIP";
        public const string Dashboard = "Orleans:Dashboard";
        public const string Kubernetes = "Orleans:Kubernetes";
        public const string StorageProbeTimeoutSeconds = "Orleans:StorageProbeTimeoutSeconds";
        public const string ResponseTimeoutSeconds = "Orleans:ResponseTimeoutSeconds";
        public const string StoragePartitions = "Orleans:StoragePartitions";
        public const string IdleMinutes = "Orleans:IdleMinutes";
        public const string TrimMemoryWhenIdle = "Orleans:TrimMemoryWhenIdle";
    }

    [Required] public string ClusterId { get; set; } = "threatgraph-dev";
    [Required] public string ServiceId { get; set; } = "threatgraph";

    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;

    /// <summary>Grain storage: "memory" (volatile, the embedded default) or "azure".</summary>
    [Required, RegularExpression("^(memory|azure)$", ErrorMessage = "Orleans:Storage must be 'memory' or 'azure'")]
    public string Storage { get; set; } = MemoryStorage;

    /// <summary>Azure Storage connection string (required when Storage is azure); Azurite: see deploy/README.md.</summary>
    public string? AzureStorageConnectionString { get; set; }

    /// <summary>The address other silos and clients use to reach this silo (azure mode; Kubernetes hosting overrides it with the pod IP).</summary>
    public string AdvertisedIP { get; set; } = "127.0.0.1";

    /// <summary>Map the Orleans Dashboard at /dashboard.</summary>
    public bool Dashboard { get; set; }

    /// <summary>Orleans Kubernetes hosting (reads POD_NAME, POD_NAMESPACE, POD_IP; watches pods of the cluster).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>How long the start-up probe waits for the storage services before failing.</summary>
    [Range(1, 120)] public int StorageProbeTimeoutSeconds { get; set; } = 8;

    /// <summary>How long a grain call may take before the caller gets a TimeoutException. Every call is short (a bundle
    /// goes to the ingest grain in calls of Ingest:ObjectsPerCall objects), so a cycle of waiting — a bug — shows within
    /// this, not after minutes.</summary>
    [Range(5, 3600)] public int ResponseTimeoutSeconds { get; set; } = 15;

    /// <summary>Partitions of the grain-state table (azure mode): a grain's state lives in partition
    /// hash(state name, grain id) mod this, and each partition commits its writes in entity group transactions of up
    /// to 100 rows. Fixed for the life of the table: a different value at start-up is refused.</summary>
    [Range(1, 999)] public int StoragePartitions { get; set; } = DefaultStoragePartitions;

    /// <summary>See <see cref="StoragePartitions"/>. Sized for Azurite on a small machine (bench/README.md, "Grain storage on
    /// Azurite": 16 partitions made twice the transactions of 8 for the same rows, 4 no less Azurite CPU than 8); on
    /// Azure, each partition serves about 2,000 entities/s, so 8 reach most of an account's 20,000.</summary>
    public const int DefaultStoragePartitions = 8;

    /// <summary>How long a grain activation may stay idle before Orleans deactivates it (Orleans' default is 15). An
    /// idle object costs only its stored state (serialized bytes in memory mode, a table row in azure mode) instead of
    /// its activation (its state unpacked: ~6–10 KB per object), so this bounds the silo's memory by what is in use;
    /// a read of a deactivated object activates it again from storage.</summary>
    [Range(2, 1440)] public int IdleMinutes { get; set; } = 5; // Orleans requires an age above its 1-minute collection quantum

    /// <summary>After a quiet interval, one aggressive collection gives the load's garbage back to the machine
    /// (<see cref="IdleMemoryTrimmer"/>).</summary>
    public bool TrimMemoryWhenIdle { get; set; } = true;

    public bool IsAzure => string.Equals(Storage, AzureStorage, StringComparison.Ordinal);
}
