using ThreatGraph.Contracts.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Patterning;
using ThreatGraph.Stix.Warninglists;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// Collects, over one ingest, the linking edges its objects declare (added, retracted by a new version, or withdrawn
/// by revocation) and the observables a warninglist excludes, then hands them to the cluster grain in one call, after
/// the mirrors are written. Thread-safe: ingest applies objects in parallel.
/// </summary>
public sealed class CorrelationCollector(CorrelationPolicy policy, Warninglists warninglists)
{
    readonly Lock _gate = new();
    readonly Dictionary<string, LinkChange> _changes = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _exclusions = new(StringComparer.Ordinal);
    readonly HashSet<string> _severityChanged = new(StringComparer.Ordinal);
    readonly HashSet<string> _revoked = new(StringComparer.Ordinal);

    /// <summary>The collector with the silo's policy and warninglists (defaults when correlation is not registered).</summary>
    public static CorrelationCollector Create(IServiceProvider services) =>
        new(services.GetService<CorrelationPolicy>() ?? new CorrelationPolicy(services.GetService<IOptions<CorrelationOptions>>()?.Value ?? new()),
            services.GetService<Warninglists>() ?? Warninglists.Empty);

    /// <param name="ownEdges">The object's current out-edges (all of them: re-sending is idempotent and heals).</param>
    /// <param name="removedEdges">Out-edges a new version no longer declares.</param>
    /// <param name="relationship">The edge a relationship SRO stands for, from its source.</param>
    public void Observe(StixObject obj, IReadOnlyList<Edge> ownEdges, IReadOnlyList<Edge> removedEdges, (string SourceId, Edge Edge)? relationship)
    {
        var changes = new List<LinkChange>();
        foreach (var e in ownEdges)
        {
            Add(changes, e.EdgeId, e.Kind, obj.Id, e.PeerId, !obj.Revoked, e.Access);
        }
        foreach (var e in removedEdges)
        {
            Add(changes, e.EdgeId, e.Kind, obj.Id, e.PeerId, false, e.Access);
        }
        if (relationship is var (source, edge))
        {
            Add(changes, edge.EdgeId, edge.Kind, source, edge.PeerId, !obj.Revoked && !edge.Revoked, edge.Access);
        }

        var exclusions = new List<(string, string)>();
        if (StixTypes.IsObservable(obj.Type))
        {
            var normal = ObservableNormalizer.Normalize(obj.Json);
            if (warninglists.Match(normal) is { } reason)
            {
                exclusions.Add((obj.Id, reason));
                if (ScoId.Compute(normal) is { } canonical)
                {
                    exclusions.Add((canonical, reason));
                }
            }
        }
        else if (obj.Type == "indicator" && obj.GetString("pattern_type") == "stix" && obj.GetString("pattern") is { } pattern)
        {
            foreach (var (id, type, property, value) in PatternObservables.Of(pattern))
            {
                if (warninglists.Match(new() { ["type"] = type, [property] = value }) is { } reason)
                {
                    exclusions.Add((id, reason));
                }
            }
        }

        lock (_gate)
        {
            if (obj.Revoked && obj.Kind is not (StixKind.Relationship or StixKind.Sighting))
            {
                _revoked.Add(obj.Id); // its node stops linking: links others declared to it go too (README "Correlation")
            }
            foreach (var c in changes)
            {
                _changes[c.EdgeKey] = c;
            }
            foreach (var (id, reason) in exclusions)
            {
                _exclusions[id] = reason;
            }
        }
    }

    /// <summary>An incident got a new version: its severity may have moved (told after the links, in <see cref="FlushAsync"/>).</summary>
    public void IncidentUpdated(string incidentId)
    {
        lock (_gate)
        {
            _severityChanged.Add(incidentId);
        }
    }

    public CorrelationBatch? TakeBatch()
    {
        lock (_gate)
        {
            if (_changes.Count == 0 && _exclusions.Count == 0 && _revoked.Count == 0)
            {
                return null;
            }
            var batch = new CorrelationBatch([.. _changes.Values], new Dictionary<string, string>(_exclusions, StringComparer.Ordinal), [.. _revoked]);
            _changes.Clear();
            _exclusions.Clear();
            _revoked.Clear();
            return batch;
        }
    }

    /// <summary>Hands what was collected to the cluster grain (one call), if anything, then the incidents whose severity may have moved.</summary>
    public async Task FlushAsync(IGrainFactory grains)
    {
        if (TakeBatch() is { } batch)
        {
            await grains.GetGrain<ICorrelationGrain>(0).ApplyAsync(batch);
        }
        List<string> incidents;
        lock (_gate)
        {
            incidents = [.. _severityChanged];
            _severityChanged.Clear();
        }
        if (incidents.Count > 0)
        {
            await grains.GetGrain<ICorrelationGrain>(0).SeverityChangedAsync(incidents);
        }
    }

    void Add(List<LinkChange> changes, string key, string kind, string source, string target, bool add, AccessDescriptor? access)
    {
        if (policy.IsLinking(kind, source, target))
        {
            changes.Add(new LinkChange(key, kind, source, target, add, access));
        }
    }
}
