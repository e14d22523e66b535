using ThreatGraph.Contracts.Security;

namespace ThreatGraph.Contracts.Model;

/// <summary>What a point read of a node returns for the caller: the current STIX JSON of the report (contribution) the
/// caller is served (null for a placeholder) and facts the gateway needs without parsing it. Everything here is composed
/// from the reports the caller may see, and nothing else.</summary>
/// <param name="Revoked">Every report the caller may see is revoked.</param>
/// <param name="Markings">The served report's markings.</param>
/// <param name="VersionCount">Versions the caller may see.</param>
/// <param name="Access">The served report's access (its reporter, TLP, recipients, provenance).</param>
/// <param name="Reporters">Organisations whose reports of this object the caller may see (several for a shared observable).</param>
/// <param name="Original">The STIX 2.0 text the served version was upgraded from (null when it came as 2.1).</param>
/// <param name="Lifecycle">An indicator's decay and expiry now (of the owner's current version); null for other types.</param>
/// <param name="Severity">An incident's severity (from the served report and the override in force); null for other types.</param>
[GenerateSerializer, Immutable, Alias("tg.NodeView")]
public sealed record NodeView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string? Json,
    [property: Id(3)] bool Revoked,
    [property: Id(4)] IReadOnlyList<string> Markings,
    [property: Id(5)] int EdgeCount,
    [property: Id(6)] int VersionCount,
    [property: Id(7)] AccessDescriptor? Access = null,
    [property: Id(8)] DateTimeOffset? FirstSeen = null,
    [property: Id(9)] IReadOnlyList<string>? Reporters = null,
    [property: Id(10)] string? Original = null,
    [property: Id(11)] Severity.IncidentSeverity? Severity = null,
    [property: Id(12)] Lifecycle.IndicatorLifecycle? Lifecycle = null)
{
    /// <summary>Referenced by an object that arrived, but not itself received (yet).</summary>
    public bool IsPlaceholder => Json is null;
}

/// <summary>The versions of a node the caller may see, each with who reported it and who may see it (its provenance):
/// what TAXII serves. A version is listed only when its own markings allow the caller, and only from reports
/// (contributions) whose current version does.</summary>
/// <param name="Versions">The visible versions, each report's oldest first.</param>
/// <param name="FirstSeen">When the first version arrived at this deployment.</param>
[GenerateSerializer, Immutable, Alias("tg.NodeRecord")]
public sealed record NodeRecord(
    [property: Id(0)] IReadOnlyList<RecordedVersion> Versions,
    [property: Id(2)] DateTimeOffset? FirstSeen);

/// <summary>One stored version and the access of the report it belongs to, as of that version.</summary>
[GenerateSerializer, Immutable, Alias("tg.RecordedVersion")]
public sealed record RecordedVersion([property: Id(0)] string Json, [property: Id(1)] AccessDescriptor Access);
