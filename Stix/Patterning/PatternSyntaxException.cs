namespace ThreatGraph.Stix.Patterning;

/// <summary>Carries the first parse error out of the recursive descent; never escapes <see cref="StixPattern.Parse"/>.</summary>
internal sealed class PatternSyntaxException(PatternError error) : Exception(error.Message)
{
    public PatternError PatternError { get; } = error;
}
