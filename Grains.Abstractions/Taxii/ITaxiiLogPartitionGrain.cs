using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Taxii;

/// <summary>
/// One partition of a TAXII collection's arrival log (key <see cref="TaxiiLogPartitioning.KeyOf"/>): the versions of the
/// objects whose id hashes to it, in order, each with a date_added strictly increasing along the partition. Appended to
/// by ingest (one call per touched partition per ingest rank); read by the TAXII reader, which merges the partitions by
/// date_added and serves only what every partition has passed (README "TAXII 2.1").
/// </summary>
[Alias("tg.ITaxiiLogPartitionGrain")]
public interface ITaxiiLogPartitionGrain : IGrainWithStringKey
{
    /// <summary>Appends the versions not already in the partition (same id and content: ignored).</summary>
    /// <returns>The partition's floor after the append: every later date_added here is above it.</returns>
    [Alias("Append")]
    Task<DateTimeOffset> AppendAsync(IReadOnlyList<TaxiiLogAppend> versions);

    /// <summary>Entries after <see cref="TaxiiLogQuery.AfterSeq"/> that match, and how far the answer is complete.</summary>
    [ReadOnly, Alias("Read")]
    Task<TaxiiLogPage> ReadAsync(TaxiiLogQuery query);

    /// <summary>Extends the durable lease (one write) so that the partition can promise a safe time of at least
    /// <paramref name="target"/> (capped a little ahead of its clock); asked by a reader after a <see cref="TaxiiLogPage.LeaseShort"/>.</summary>
    [Alias("Renew")]
    Task RenewAsync(DateTimeOffset target);

    /// <summary>How many versions the partition holds.</summary>
    [ReadOnly, Alias("Count")]
    Task<long> CountAsync();

    /// <summary>Migration only: entries of the single log of earlier builds, in their order, with their date_added
    /// (entries at or below the partition's last are taken as already imported).</summary>
    [Alias("Import")]
    Task ImportAsync(IReadOnlyList<TaxiiLogEntry> entries);
}
