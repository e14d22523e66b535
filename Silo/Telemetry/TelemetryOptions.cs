using System.ComponentModel.DataAnnotations;

namespace ThreatGraph.Silo.Telemetry;

/// <summary>OpenTelemetry export (configuration section "Telemetry"); off unless an exporter is named.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public static class Keys
    {
        public const string Exporter = "Telemetry:Exporter";
        public const string OtlpEndpoint = "Telemetry:OtlpEndpoint";
    }

    /// <summary>"none" (default), "console" or "otlp".</summary>
    [Required, RegularExpression("^(none|console|otlp)$", ErrorMessage = "Telemetry:Exporter must be 'none', 'console' or 'otlp'")]
    public string Exporter { get; set; } = "none";

    /// <summary>OTLP collector endpoint (gRPC), e.g. http://otel-collector:4317; empty = the exporter's default.</summary>
    public string? OtlpEndpoint { get; set; }
}
