using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Severity;

namespace ThreatGraph.Grains.Severity;

/// <summary>A cluster's (and so its campaigns') severity for the caller in the RequestContext: the highest level among
/// the incidents it may see there (<see cref="IncidentSeverities.Rollup"/>). An incident it may not see reads as
/// unknown, so another organisation's hidden incident never raises what this caller is shown; revoked ones do not count.</summary>
public static class SeverityRollup
{
    const int ReadsInFlight = 64;

    public static async Task<string> OfAsync(IGrainFactory grains, IReadOnlyList<string> incidentIds)
    {
        var levels = new List<int>();
        foreach (var chunk in incidentIds.Chunk(ReadsInFlight))
        {
            var views = await Task.WhenAll(chunk.Select(id => grains.GetNode(id).GetViewAsync()));
            levels.AddRange(views.Where(v => v is { Revoked: false, Severity: not null }).Select(v => v!.Severity!.Level));
        }
        return IncidentSeverities.Rollup(levels);
    }
}
