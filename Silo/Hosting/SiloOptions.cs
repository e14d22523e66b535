using System.ComponentModel.DataAnnotations;

namespace ThreatGraph.Silo.Hosting;

/// <summary>How this process joins (or forms) the Orleans cluster (configuration section "Orleans").</summary>
public sealed class ThreatGraphSiloOptions
{
    public const string Section = "Orleans";

    [Required] public string ClusterId { get; set; } = "threatgraph-dev";
    [Required] public string ServiceId { get; set; } = "threatgraph";

    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;

    /// <summary>Grain storage: "memory" (volatile, the embedded default).</summary>
    [Required, RegularExpression("^memory$", ErrorMessage = "Orleans:Storage must be 'memory' (the only storage this build supports)")]
    public string Storage { get; set; } = "memory";
}
