using Microsoft.Extensions.Diagnostics.HealthChecks;
using ThreatGraph.Silo.Hosting;

namespace ThreatGraph.Silo.Health;

/// <summary>Ready only while the grain storage answers: memory always does; Azure Storage is probed (blob, queue, table).</summary>
public sealed class StorageHealthCheck(AzureStorageConnection? azure = null) : IHealthCheck
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (azure is null)
        {
            return HealthCheckResult.Healthy("memory storage (volatile)");
        }
        try
        {
            await azure.ProbeAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy("azure storage answers");
        }
        catch (StartupConfigurationException e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
