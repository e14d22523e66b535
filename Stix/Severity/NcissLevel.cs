namespace ThreatGraph.Stix.Severity;

/// <summary>The US National Cyber Incident Scoring System's levels (CISA NCISS): 0 Baseline … 5 Emergency. The names
/// and order are NCISS's; how a level is reached from an incident's factors is ours (<see cref="SeverityModel"/>).</summary>
public enum NcissLevel
{
    Baseline = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Severe = 4,
    Emergency = 5,
}

public static class NcissLevels
{
    /// <summary>The level's name as the API shows it: BASELINE, LOW, MEDIUM, HIGH, SEVERE, EMERGENCY.</summary>
    public static string Name(NcissLevel level) => level.ToString().ToUpperInvariant();

    public static bool IsLevel(int value) => value is >= 0 and <= 5;
}
