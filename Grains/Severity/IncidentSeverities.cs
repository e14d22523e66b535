using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Severity;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Severity;

namespace ThreatGraph.Grains.Severity;

/// <summary>An incident's severity from its JSON and the override in force (one home for node reads and rollups).</summary>
public static class IncidentSeverities
{
    /// <summary>The level of an override entry that clears the override before it.</summary>
    public const int Cleared = -1;

    public static SeverityOverride? InForce(IReadOnlyList<SeverityOverride> overrides) =>
        overrides.Count > 0 && overrides[^1].Level != Cleared ? overrides[^1] : null;

    /// <param name="caller">The reader: an override names its analyst to members of the analyst's organisation only.</param>
    public static IncidentSeverity Of(string json, IReadOnlyList<SeverityOverride> overrides, SeverityModel model, CallerIdentity caller)
    {
        var factors = JsonNode.Parse(json) is JsonObject o ? IncidentSeverityReader.Read(o) : new IncidentFactors(new Dictionary<string, string>(), false);
        var (score, level) = model.Compute(factors);
        var over = InForce(overrides);
        if (over is not null && !caller.IsSystem && caller.Org != over.Org)
        {
            over = over with { Member = "" };
        }
        return new IncidentSeverity(over?.Level ?? (int)level, score, (int)level, factors.Values, over);
    }

    /// <summary>A campaign's or cluster's severity: the highest level of the incidents the reader sees in it; null
    /// (shown as NONE) without incidents. The worst incident decides, as NCISS rates the incident, not the count.</summary>
    public static string Rollup(IEnumerable<int> levels)
    {
        var max = levels.DefaultIfEmpty(-1).Max();
        return max < 0 ? None : NcissLevels.Name((NcissLevel)max);
    }

    public const string None = "NONE";
}
