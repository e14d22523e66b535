using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using ThreatGraph.Silo.Health;

namespace ThreatGraph.Silo.Hosting;

/// <summary>Health endpoints always; the Orleans Dashboard at /dashboard when <c>Orleans:Dashboard=true</c>.</summary>
public static class OperationsEndpoints
{
    public const string DashboardPath = "/dashboard";

    public static WebApplication MapThreatGraphOperations(this WebApplication app)
    {
        app.MapThreatGraphHealth();
        if (app.Services.GetRequiredService<IOptions<ThreatGraphSiloOptions>>().Value.Dashboard)
        {
            // Open as before the gateway's policies existed: the dashboard is an operator's tool, off unless configured.
            app.MapOrleansDashboard(routePrefix: DashboardPath).AllowAnonymous();
        }
        return app;
    }
}
