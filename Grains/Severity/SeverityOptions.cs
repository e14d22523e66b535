using ThreatGraph.Stix.Severity;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Severity;

namespace ThreatGraph.Grains.Severity;

/// <summary>Incident severity tunables (configuration section "Severity"): the weight of each NCISS factor and the score
/// thresholds of the levels. Defaults in <see cref="SeverityModel"/>; README "Lifecycle and severity".</summary>
public sealed class SeverityOptions
{
    public const string Section = "Severity";

    /// <summary>Overrides of <see cref="SeverityModel.DefaultWeights"/> (0..1 each).</summary>
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Lowest score (0–100) of Low, Medium, High, Severe, Emergency; empty: <see cref="SeverityModel.DefaultThresholds"/>.</summary>
    public List<double> Thresholds { get; set; } = [];

    public SeverityModel Model()
    {
        var weights = new Dictionary<string, double>(SeverityModel.DefaultWeights, StringComparer.Ordinal);
        foreach (var (factor, weight) in Weights)
        {
            weights[factor] = weight;
        }
        return new SeverityModel(weights, Thresholds.Count > 0 ? Thresholds : SeverityModel.DefaultThresholds);
    }

    public IEnumerable<string> Validate() => Model().Validate(Section);
}
