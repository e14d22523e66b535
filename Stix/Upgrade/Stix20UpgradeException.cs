namespace ThreatGraph.Stix.Upgrade;

/// <summary>Why an object cannot be upgraded, at which JSON path of the 2.0 object.</summary>
public sealed class Stix20UpgradeException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;
}
