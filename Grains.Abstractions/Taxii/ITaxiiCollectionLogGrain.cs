using Orleans.Concurrency;

namespace ThreatGraph.Grains.Taxii;

/// <summary>
/// A TAXII collection's arrival log (keyed by collection id): every object version added, in order, each with its
/// date_added. Appended to by ingest; read by the TAXII endpoints, which page with a position (<c>Seq</c>) that
/// stays valid across restarts and concurrent appends (appends only ever go at the end).
/// </summary>
[Alias("tg.ITaxiiCollectionLogGrain")]
public interface ITaxiiCollectionLogGrain : IGrainWithStringKey
{
    /// <summary>Appends the versions not already in the log (same id and content: ignored).</summary>
    [Alias("Append")]
    Task AppendAsync(IReadOnlyList<TaxiiLogAppend> versions);

    [ReadOnly, Alias("Read")]
    Task<TaxiiLogPage> ReadAsync(TaxiiLogQuery query);

    /// <summary>How many versions the log holds.</summary>
    [ReadOnly, Alias("Count")]
    Task<long> CountAsync();
}
