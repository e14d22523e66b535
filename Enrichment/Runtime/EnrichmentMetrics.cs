using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>The meter <c>ThreatGraph.Enrichment</c>: objects processed and failed, objects written, and how long one
/// object takes, each tagged with the job's name.</summary>
public sealed class EnrichmentMetrics : IDisposable
{
    public const string MeterName = "ThreatGraph.Enrichment";

    readonly Meter _meter;
    readonly Counter<long> _processed;
    readonly Counter<long> _failed;
    readonly Counter<long> _written;
    readonly Histogram<double> _duration;

    public EnrichmentMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _processed = _meter.CreateCounter<long>("threatgraph.enrichment.processed", "{object}", "Objects a job enriched");
        _failed = _meter.CreateCounter<long>("threatgraph.enrichment.failed", "{object}", "Objects whose enrichment failed");
        _written = _meter.CreateCounter<long>("threatgraph.enrichment.written", "{object}", "Derived objects created or updated");
        _duration = _meter.CreateHistogram<double>("threatgraph.enrichment.duration", "s", "Time to enrich one object, writes included");
    }

    public void Processed(string job, double seconds, int written)
    {
        var tag = new TagList { { "job", job } };
        _processed.Add(1, tag);
        _written.Add(written, tag);
        _duration.Record(seconds, tag);
    }

    public void Failed(string job) => _failed.Add(1, new TagList { { "job", job } });

    public void Dispose() => _meter.Dispose();
}
