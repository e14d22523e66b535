namespace ThreatGraph.Stix;

/// <summary>
/// Default limits of one ingest, shared by the gateway (which applies them before any work: an oversize object is not
/// even decoded) and the ingest grain (which applies them again for callers that reach it directly). Both read the
/// same settings, <c>Ingest:MaxObjectBytes</c> and <c>Ingest:MaxObjectsPerRequest</c>.
/// </summary>
public static class StixLimits
{
    /// <summary>1 MiB of JSON (UTF-8, as sent) per object: the largest object in the shared test data (MITRE ATT&amp;CK
    /// ICS 18.1) is 209 KB.</summary>
    public const int DefaultMaxObjectBytes = 1024 * 1024;

    /// <summary>Objects in one bundle or TAXII envelope (the MITRE ATT&amp;CK ICS bundle has 1,826).</summary>
    public const int DefaultMaxObjectsPerRequest = 10_000;

    /// <summary>Most objects in one call of the ingest grain (the gateway sends a bundle in smaller calls).</summary>
    public const int DefaultMaxObjectsPerCall = 2_000;
}
