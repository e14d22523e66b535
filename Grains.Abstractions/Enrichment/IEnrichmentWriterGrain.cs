namespace ThreatGraph.Contracts.Enrichment;

/// <summary>
/// Writes what a job derived from one input, as the caller in the RequestContext (the job's identity), all or nothing:
/// refused without the <see cref="EnrichmentJobs.Role"/> role, when the caller may not see the input, when the identity it
/// writes as is not its own organisation's, or when any derived object is not valid STIX. Every derived object gets the
/// caller's identity as <c>created_by_ref</c>, the job's name, and at least the input's TLP and recipients.
/// Stateless: any silo's local worker will do (key 0).
/// </summary>
[Alias("tg.IEnrichmentWriterGrain")]
public interface IEnrichmentWriterGrain : IGrainWithIntegerKey
{
    [Alias("Write")]
    Task<EnrichmentWriteResult> WriteAsync(EnrichmentWrite write);
}

/// <param name="Job">The job's name.</param>
/// <param name="IdentityId">The STIX identity the job writes as (<c>created_by_ref</c>): one of its organisation's.</param>
/// <param name="InputId">The object it enriched.</param>
/// <param name="Objects">The derived objects, as JSON text.</param>
[GenerateSerializer, Immutable, Alias("tg.EnrichmentWrite")]
public sealed record EnrichmentWrite(
    [property: Id(0)] string Job,
    [property: Id(1)] string IdentityId,
    [property: Id(2)] string InputId,
    [property: Id(3)] IReadOnlyList<string> Objects);

/// <param name="Error">Why nothing was written (null: everything was).</param>
/// <param name="Refused">The caller may not write this at all (identity, role): retrying will not help.</param>
[GenerateSerializer, Immutable, Alias("tg.EnrichmentWriteResult")]
public sealed record EnrichmentWriteResult(
    [property: Id(0)] int Created,
    [property: Id(1)] int Updated,
    [property: Id(2)] int Unchanged,
    [property: Id(3)] string? Error,
    [property: Id(4)] bool Refused = false)
{
    public static EnrichmentWriteResult Failure(string error, bool refused = false) => new(0, 0, 0, error, refused);
}
