using System.Text.Json.Nodes;
using ThreatGraph.Stix.Severity;

namespace ThreatGraph.Stix.Tests;

/// <summary>The severity model's arithmetic, the reading of factors, and the validation of a configured model.</summary>
public sealed class SeverityModelTests
{
    [Fact]
    public void Every_factor_at_its_worst_is_emergency_and_none_given_is_baseline()
    {
        var worst = SeverityFactors.All.ToDictionary(f => f, f => SeverityFactors.Vocabulary[f].MaxBy(v => v.Value).Key);
        Assert.Equal((100, NcissLevel.Emergency), SeverityModel.Default.Compute(new IncidentFactors(worst, false)));
        Assert.Equal((0, NcissLevel.Baseline), SeverityModel.Default.Compute(new IncidentFactors(new Dictionary<string, string>(), false)));
        Assert.Equal((0, NcissLevel.Baseline), SeverityModel.Default.Compute(new IncidentFactors(worst, FalsePositive: true)));
    }

    [Theory]
    [InlineData(14.9, NcissLevel.Baseline)]
    [InlineData(15, NcissLevel.Low)]
    [InlineData(35, NcissLevel.Medium)]
    [InlineData(54.9, NcissLevel.Medium)]
    [InlineData(55, NcissLevel.High)]
    [InlineData(70, NcissLevel.Severe)]
    [InlineData(85, NcissLevel.Emergency)]
    public void Thresholds_decide_the_level(double score, NcissLevel level) => Assert.Equal(level, SeverityModel.Default.LevelOf(score));

    [Fact]
    public void Our_factors_win_over_the_incident_core_extension_and_its_soft_values_only_warn()
    {
        var incident = new JsonObject
        {
            ["x_threatgraph_severity"] = new JsonObject { ["recoverability"] = "extended" },
            ["extensions"] = new JsonObject
            {
                [IncidentSeverityReader.IncidentCoreExtension] = new JsonObject
                {
                    ["recoverability"] = "regular", ["criticality"] = 25, ["determination"] = "maybe",
                },
            },
        };
        var issues = new List<SeverityIssue>();
        var factors = IncidentSeverityReader.Read(incident, "$", issues);
        Assert.Equal("extended", factors.Values[SeverityFactors.Recoverability]);
        Assert.Equal("medium", factors.Values[SeverityFactors.PotentialImpact]);
        var warning = Assert.Single(issues);
        Assert.False(warning.IsError);
        Assert.EndsWith(".determination", warning.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_model_names_the_setting_it_breaks()
    {
        var bad = new SeverityModel(new Dictionary<string, double> { ["functional_impact"] = 2, ["mood"] = 0.5 }, [10, 5, 55, 70]);
        var errors = bad.Validate("Severity").ToList();
        Assert.Contains("Severity:Weights:functional_impact: a weight must be from 0 to 1, not 2", errors);
        Assert.Contains(errors, e => e.StartsWith("Severity:Weights:mood: not a severity factor", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Severity:Thresholds: five thresholds", StringComparison.Ordinal));
        Assert.Contains("Severity:Thresholds:1: thresholds must rise strictly within (0, 100], not 5", errors);
        Assert.Empty(SeverityModel.Default.Validate("Severity"));
    }
}
