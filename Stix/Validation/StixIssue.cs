namespace ThreatGraph.Stix.Validation;

public enum IssueSeverity { Error, Warning }

/// <summary>One finding: an Error is a MUST of the specification violated (the object is rejected), a Warning a SHOULD.</summary>
public sealed record StixIssue(string? ObjectId, string Path, string Message, IssueSeverity Severity)
{
    public override string ToString() => $"{Severity} {ObjectId ?? "(no id)"} at {Path}: {Message}";
}
