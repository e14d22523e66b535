namespace ThreatGraph.Contracts.Taxii;

/// <summary>One object's outcome in a TAXII status resource.</summary>
[GenerateSerializer, Immutable, Alias("tg.TaxiiStatusDetail")]
public sealed record TaxiiStatusDetail(
    [property: Id(0)] string Id,
    [property: Id(1)] string Version,
    [property: Id(2)] string? Message);

/// <summary>The TAXII status resource of one POST objects request (kept by <see cref="ITaxiiStatusGrain"/>).</summary>
/// <param name="OwnerOrg">The organisation that posted: the only one that may read this status.</param>
[GenerateSerializer, Immutable, Alias("tg.TaxiiStatus")]
public sealed record TaxiiStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset RequestTimestamp,
    [property: Id(3)] IReadOnlyList<TaxiiStatusDetail> Successes,
    [property: Id(4)] IReadOnlyList<TaxiiStatusDetail> Failures,
    [property: Id(5)] IReadOnlyList<TaxiiStatusDetail> Pendings,
    [property: Id(6)] string OwnerOrg)
{
    public int TotalCount => Successes.Count + Failures.Count + Pendings.Count;
}

/// <summary>A POST objects request's status, keyed by the status id (a UUID).</summary>
[Alias("tg.ITaxiiStatusGrain")]
public interface ITaxiiStatusGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task SetAsync(TaxiiStatus status);

    /// <summary>Null when unknown.</summary>
    [Orleans.Concurrency.ReadOnly, Alias("Get")]
    Task<TaxiiStatus?> GetAsync();
}
