namespace ThreatGraph.Contracts.Severity;

/// <summary>An incident's severity as a reader sees it: the NCISS level in force (the analyst's override if there is one,
/// else the computed level), the computed score and level, and the factors they came from.</summary>
/// <param name="Level">0 Baseline … 5 Emergency.</param>
/// <param name="Score">0–100, from the factors (<see cref="Stix.Severity.SeverityModel"/>).</param>
[GenerateSerializer, Immutable, Alias("tg.IncidentSeverity")]
public sealed record IncidentSeverity(
    [property: Id(0)] int Level,
    [property: Id(1)] double Score,
    [property: Id(2)] int ComputedLevel,
    [property: Id(3)] IReadOnlyDictionary<string, string> Factors,
    [property: Id(4)] SeverityOverride? Override);

/// <summary>An analyst's override of an incident's severity, with the reason (audited).</summary>
/// <param name="Org">The organisation of the analyst (the incident's reporter).</param>
/// <param name="Member">The analyst (<c>org/name</c>): shown to members of that organisation only.</param>
[GenerateSerializer, Immutable, Alias("tg.SeverityOverride")]
public sealed record SeverityOverride(
    [property: Id(0)] int Level,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Org,
    [property: Id(3)] string Member,
    [property: Id(4)] DateTimeOffset At);

/// <summary>What an override request got: the severity now, or why it was refused (nothing changed).</summary>
[GenerateSerializer, Immutable, Alias("tg.SeverityOverrideResult")]
public sealed record SeverityOverrideResult(
    [property: Id(0)] IncidentSeverity? Severity,
    [property: Id(1)] string? Error,
    [property: Id(2)] string? ErrorCode,
    [property: Id(3)] bool Changed);
