using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ThreatGraph.Silo.Health;

/// <summary>Ready once this silo is an active member of the cluster (and not while it is joining or shutting down).</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {oracle.SiloAddress} active")
            : HealthCheckResult.Unhealthy($"silo {oracle.SiloAddress} is {oracle.CurrentStatus}"));
}
