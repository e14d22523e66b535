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
            app.MapOrleansDashboard(routePrefix: DashboardPath);
        }
        return app;
    }
}
