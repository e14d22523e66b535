using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ThreatGraph.Silo.Health;

/// <summary>
/// <c>/health/live</c>: the process answers (no checks). <c>/health/ready</c>: the silo is active in the cluster and
/// the grain storage answers. The Kubernetes probes and the scripts in deploy/ use these paths. <c>/health/memory</c>:
/// the managed heap as of the last garbage collection (the benchmark reports it beside RSS) and the idle trims done.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MemoryPath = "/health/memory";
    const string ReadyTag = "ready";

    public static IServiceCollection AddThreatGraphHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapThreatGraphHealth(this IEndpointRouteBuilder app)
    {
        // Probes carry no credentials: these answers hold no intelligence.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        }).AllowAnonymous();
        app.MapGet(MemoryPath, () =>
        {
            var gc = GC.GetGCMemoryInfo();
            return Results.Json(new
            {
                heapBytes = gc.HeapSizeBytes,
                committedBytes = gc.TotalCommittedBytes,
                fragmentedBytes = gc.FragmentedBytes,
                collections = GC.CollectionCount(2),
                serverGc = System.Runtime.GCSettings.IsServerGC,
                // Trims in this quiet period (README Orleans:TrimMemoryWhenIdle); 2: the silo is at rest.
                idleTrims = app.ServiceProvider.GetService<Hosting.IdleMemoryTrimmer>()?.QuietPeriodTrims ?? 0,
            });
        }).AllowAnonymous();
        return app;
    }

    static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
