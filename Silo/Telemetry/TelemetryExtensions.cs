using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ThreatGraph.Silo.Telemetry;

/// <summary>
/// OpenTelemetry metrics and traces: ASP.NET Core (every GraphQL and ingest request is an HTTP request), Orleans
/// runtime meters and grain-call activities. Nothing is registered unless <c>Telemetry:Exporter</c> names an exporter.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Orleans' meter and activity sources (grain calls are traced once activity propagation is on).</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static bool AddThreatGraphTelemetry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        builder.Services.AddOptions<TelemetryOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Exporter == "none")
        {
            return false;
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("threatgraph-silo"))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddMeter(OrleansSources);
                Export(m, options);
            })
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation().AddSource(OrleansSources);
                Export(t, options);
            });
        _ = otel;
        return true;
    }

    static void Export(MeterProviderBuilder m, TelemetryOptions options)
    {
        if (options.Exporter == "console") m.AddConsoleExporter();
        else m.AddOtlpExporter(o => Endpoint(o, options));
    }

    static void Export(TracerProviderBuilder t, TelemetryOptions options)
    {
        if (options.Exporter == "console") t.AddConsoleExporter();
        else t.AddOtlpExporter(o => Endpoint(o, options));
    }

    static void Endpoint(OpenTelemetry.Exporter.OtlpExporterOptions o, TelemetryOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            o.Endpoint = new Uri(options.OtlpEndpoint);
        }
    }
}
