namespace ThreatGraph.Stix.Patterning;

/// <summary>An observable a pattern names in a comparison: <c>[ipv4-addr:value = '203.0.113.5']</c> →
/// (ipv4-addr, value, =, 203.0.113.5).</summary>
public sealed record PatternObservable(string ObjectType, string PropertyPath, string Operator, string Value);

/// <summary>Where and why a pattern failed to parse. Position is the 0-based character offset.</summary>
public sealed record PatternError(int Position, string Message);

public sealed record PatternParseResult(bool Success, PatternError? Error, IReadOnlyList<PatternObservable> Observables);

/// <summary>PLACEHOLDER until the real parser lands (being written now): accepts everything, names nothing.</summary>
public static class StixPattern
{
    public static PatternParseResult Parse(string pattern) => new(true, null, []);
}
