namespace ThreatGraph.Contracts.Ingest;

/// <summary>
/// Applies STIX objects to the graph: validate, order by dependency, upsert nodes with bounded parallelism, mirror
/// edges onto peers, update the type index. Stateless: any silo's local worker will do (key 0).
/// An object is reported Created/Updated only after its node and its edges were written.
/// </summary>
[Alias("tg.IIngestGrain")]
public interface IIngestGrain : IGrainWithIntegerKey
{
    [Alias("Ingest")]
    Task<IngestReport> IngestAsync(IngestRequest request);
}
