namespace ThreatGraph.Enrichment;

/// <summary>What the host gives a job while it runs.</summary>
public interface IEnrichmentContext
{
    /// <summary>The job's identity (<c>identity--…</c>), written as <c>created_by_ref</c> of what it derives.</summary>
    string IdentityId { get; }

    /// <summary>The time stamped on derived objects (<c>created</c>/<c>modified</c>); fixed per job run so a rerun
    /// produces the same objects.</summary>
    DateTimeOffset Now { get; }
}
