namespace ThreatGraph.Stix.Severity;

/// <summary>
/// The eight NCISS factors and, for each, the values an incident may give it with our score of each value (0..1).
/// The factor names and most values follow NCISS (functional impact, information impact, recoverability, observed
/// activity, location of observed activity, actor characterisation, cross-sector dependency, potential impact); the
/// scores are ours. An incident carries them in <c>x_threatgraph_severity</c> (<see cref="IncidentSeverityReader"/>).
/// </summary>
public static class SeverityFactors
{
    public const string FunctionalImpact = "functional_impact";
    public const string InformationImpact = "information_impact";
    public const string Recoverability = "recoverability";
    public const string ObservedActivity = "observed_activity";
    public const string Location = "location_of_observed_activity";
    public const string ActorCharacterization = "actor_characterization";
    public const string CrossSectorDependency = "cross_sector_dependency";
    public const string PotentialImpact = "potential_impact";

    static IReadOnlyDictionary<string, double> Scores(params (string Value, double Score)[] values) =>
        values.ToDictionary(v => v.Value, v => v.Score, StringComparer.Ordinal);

    /// <summary>Factor → value → score. A value not listed is rejected (with its JSON path).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Vocabulary =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal)
        {
            [FunctionalImpact] = Scores(("no-impact", 0), ("no-impact-to-services", 0.1), ("minimal-impact-to-non-critical-services", 0.25),
                ("minimal-impact-to-critical-services", 0.4), ("significant-impact-to-non-critical-services", 0.55),
                ("denial-of-non-critical-services", 0.7), ("significant-impact-to-critical-services", 0.85), ("denial-of-critical-services", 1)),
            [InformationImpact] = Scores(("no-impact", 0), ("suspected-but-not-identified", 0.2), ("privacy-data-breach", 0.5),
                ("proprietary-information-breach", 0.6), ("destruction-of-non-critical-systems", 0.65), ("critical-systems-data-breach", 0.8),
                ("core-credential-compromise", 0.9), ("destruction-of-critical-system", 1)),
            // The Incident Core extension's recoverability vocabulary (NIST SP 800-61's effort categories).
            [Recoverability] = Scores(("not-applicable", 0), ("regular", 0.2), ("supplemented", 0.5), ("extended", 0.8), ("not-recoverable", 1)),
            [ObservedActivity] = Scores(("none", 0), ("prepare", 0.25), ("engage", 0.5), ("presence", 0.75), ("effect", 1)),
            [Location] = Scores(("unknown", 0), ("business-demilitarized-zone", 0.15), ("business-network", 0.3),
                ("business-network-management", 0.45), ("critical-system-demilitarized-zone", 0.6), ("critical-system-management", 0.75),
                ("critical-systems", 0.9), ("safety-systems", 1)),
            [ActorCharacterization] = Scores(("unknown", 0), ("individual", 0.2), ("hacktivist", 0.4), ("criminal", 0.5),
                ("insider", 0.6), ("organized-crime", 0.7), ("nation-state", 1)),
            [CrossSectorDependency] = Scores(("none", 0), ("low", 0.33), ("medium", 0.66), ("high", 1)),
            [PotentialImpact] = Scores(("none", 0), ("low", 0.25), ("medium", 0.5), ("high", 0.75), ("severe", 1)),
        };

    /// <summary>Every factor, in the order the API lists them.</summary>
    public static readonly IReadOnlyList<string> All =
        [FunctionalImpact, InformationImpact, Recoverability, ObservedActivity, Location, ActorCharacterization, CrossSectorDependency, PotentialImpact];
}
