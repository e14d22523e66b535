using System.Diagnostics.Metrics;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>Federation's metrics (meter <c>ThreatGraph.Federation</c>), tagged by peer.</summary>
public sealed class FederationMetrics : IDisposable
{
    public const string MeterName = "ThreatGraph.Federation";

    readonly Meter _meter = new(MeterName);
    readonly Counter<long> _objects;
    readonly Counter<long> _errors;
    readonly Histogram<double> _lag;

    public FederationMetrics()
    {
        _objects = _meter.CreateCounter<long>("threatgraph.federation.objects", description: "Objects pulled from peers, by outcome (applied, unchanged, refused)");
        _errors = _meter.CreateCounter<long>("threatgraph.federation.errors", description: "Failed polls of a peer");
        _lag = _meter.CreateHistogram<double>("threatgraph.federation.lag", unit: "s", description: "From an object's date_added on the peer to its arrival here");
    }

    public void Page(string peer, int applied, int unchanged, int refused, double lagSeconds)
    {
        var tag = new KeyValuePair<string, object?>("peer", peer);
        _objects.Add(applied, tag, new("outcome", "applied"));
        _objects.Add(unchanged, tag, new("outcome", "unchanged"));
        _objects.Add(refused, tag, new("outcome", "refused"));
        _lag.Record(lagSeconds, tag);
    }

    public void Error(string peer) => _errors.Add(1, new KeyValuePair<string, object?>("peer", peer));

    public void Dispose() => _meter.Dispose();
}
