using System.Diagnostics.Metrics;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// What the grain-state table cost this silo: storage requests by kind, and the grain operations they served
/// (meter <c>ThreatGraph.Storage</c>, and <see cref="Summary"/> for the periodic log line). Requests per grain write
/// is the number the group commit exists to lower (Azurite takes about 650 small requests per second here).
/// </summary>
public sealed class StorageStatistics : IDisposable
{
    public const string MeterName = "ThreatGraph.Storage";

    readonly Meter _meter = new(MeterName);
    readonly Counter<long> _requests;
    readonly Counter<long> _operations;
    readonly Histogram<int> _batchSize;
    long _transactions, _transactionRows, _pointReads, _keyScanPages, _blobWrites, _blobReads, _blobDeletes, _directWrites;
    long _reads, _readsFromKeySet, _writes, _clears, _conflicts;

    public StorageStatistics()
    {
        _requests = _meter.CreateCounter<long>("threatgraph.storage.requests", description: "Azure Storage requests made for grain state, by kind");
        _operations = _meter.CreateCounter<long>("threatgraph.storage.operations", description: "Grain state reads, writes and clears, by outcome");
        _batchSize = _meter.CreateHistogram<int>("threatgraph.storage.batch_size", description: "Rows per entity group transaction");
    }

    public long Transactions => Interlocked.Read(ref _transactions);
    public long TransactionRows => Interlocked.Read(ref _transactionRows);
    public long PointReads => Interlocked.Read(ref _pointReads);
    public long ReadsFromKeySet => Interlocked.Read(ref _readsFromKeySet);
    public long BlobWrites => Interlocked.Read(ref _blobWrites);
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Every storage request for grain state (transactions, point reads, key scans, blob calls, direct writes).</summary>
    public long Requests => Transactions + PointReads + Interlocked.Read(ref _keyScanPages) + BlobWrites +
                            Interlocked.Read(ref _blobReads) + Interlocked.Read(ref _blobDeletes) + Interlocked.Read(ref _directWrites);

    public void Transaction(int rows)
    {
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _transactionRows, rows);
        _requests.Add(1, new KeyValuePair<string, object?>("kind", "transaction"));
        _batchSize.Record(rows);
    }

    public void PointRead() => Request(ref _pointReads, "point_read");
    public void KeyScanPage() => Request(ref _keyScanPages, "key_scan");
    public void BlobWrite() => Request(ref _blobWrites, "blob_write");
    public void BlobRead() => Request(ref _blobReads, "blob_read");
    public void BlobDelete() => Request(ref _blobDeletes, "blob_delete");

    /// <summary>A replace or delete sent straight to the table because the partition's owner was unreachable.</summary>
    public void DirectWrite() => Request(ref _directWrites, "direct_write");

    public void Read(bool fromKeySet)
    {
        Interlocked.Increment(ref _reads);
        if (fromKeySet) Interlocked.Increment(ref _readsFromKeySet);
        _operations.Add(1, new KeyValuePair<string, object?>("op", fromKeySet ? "read_absent_no_request" : "read"));
    }

    public void Write() => Operation(ref _writes, "write");
    public void Clear() => Operation(ref _clears, "clear");
    public void Conflict() => Operation(ref _conflicts, "conflict");

    /// <summary>One line for the log: requests, and the grain operations they carried.</summary>
    public string Summary() =>
        $"{Requests} storage requests ({Transactions} transactions carrying {TransactionRows} rows, {PointReads} point reads, " +
        $"{Interlocked.Read(ref _keyScanPages)} key-scan pages, {BlobWrites}/{Interlocked.Read(ref _blobReads)}/{Interlocked.Read(ref _blobDeletes)} blob writes/reads/deletes, " +
        $"{Interlocked.Read(ref _directWrites)} direct writes) " +
        $"for {Interlocked.Read(ref _writes)} writes, {Interlocked.Read(ref _clears)} clears and {Interlocked.Read(ref _reads)} reads " +
        $"({ReadsFromKeySet} answered 'absent' from the partition key sets); {Conflicts} ETag conflicts";

    public void Dispose() => _meter.Dispose();

    void Request(ref long field, string kind)
    {
        Interlocked.Increment(ref field);
        _requests.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    void Operation(ref long field, string op)
    {
        Interlocked.Increment(ref field);
        _operations.Add(1, new KeyValuePair<string, object?>("op", op));
    }
}
