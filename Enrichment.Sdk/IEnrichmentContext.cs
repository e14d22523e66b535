namespace ThreatGraph.Enrichment;

/// <summary>What the host gives a job while it runs. Lookups answer as the job's identity: they never return what it
/// may not see.</summary>
public interface IEnrichmentContext
{
    /// <summary>The job's identity (<c>identity--…</c>), written as <c>created_by_ref</c> of what it derives.</summary>
    string IdentityId { get; }

    /// <summary>The time stamped on derived objects (<c>created</c>/<c>modified</c>); fixed per job run so a rerun
    /// produces the same objects.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Objects whose <c>external_references</c> carry this <c>external_id</c> (case-insensitive), e.g. the
    /// ATT&amp;CK object of <c>T0885</c>, each with its STIX JSON.</summary>
    ValueTask<IReadOnlyList<EnrichmentInput>> FindByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<EnrichmentInput>>([]);

    /// <summary>Objects of <paramref name="types"/> whose name or one of whose aliases (<c>aliases</c>,
    /// <c>x_mitre_aliases</c>) has this normalised key (<see cref="AliasKey.Of"/>).</summary>
    ValueTask<IReadOnlyList<EnrichmentInput>> FindByAliasKeyAsync(string aliasKey, IReadOnlyCollection<string> types, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<EnrichmentInput>>([]);
}
