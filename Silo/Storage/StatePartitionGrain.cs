using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// Owns one partition of the grain-state table (see <see cref="IStatePartitionGrain"/>). On activation it scans the
/// partition's row keys (one page per 1,000 rows) into a set of 64-bit key hashes; from then on every row of the
/// partition is created through it, so a key that is not in the set is not stored, and reading it costs no request.
/// (A replace or clear may bypass it when it is unreachable, see <see cref="StateTable.ReplaceOrDeleteDirectlyAsync"/>:
/// neither creates a row.) That is most reads while a new bundle comes in: each new object's grain reads its state before its
/// first write (the ICS bundle: 1,847 reads, every one of a row that did not exist, against 2,229 writes).
/// A key in the set is read with one point query. Writes and clears go through a <see cref="PartitionCommitter"/>.
/// <para>
/// Orleans keeps one activation per grain, as it does for every grain; should two briefly coexist (membership
/// change), the row preconditions still decide every write: an insert of a row the stale set thought absent fails
/// with 409, which the set then learns, and the grain whose write failed re-reads.
/// </para>
/// </summary>
[Reentrant] // on purpose: every request awaits storage, and the group commit needs the requests of many grains in flight together; the key set is touched only between awaits, on this activation's scheduler.
[KeepAlive] // the key set costs a partition scan to rebuild: never collected for idleness.
public sealed class StatePartitionGrain(StateTable table, ILogger<StatePartitionGrain> logger) : Grain, IStatePartitionGrain
{
    const int BlobReadAttempts = 3;

    readonly HashSet<ulong> _keys = [];
    PartitionCommitter _committer = null!;
    string _partitionKey = "";

    StorageStatistics Statistics => table.Statistics;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _partitionKey = StateKey.PartitionKey((int)this.GetPrimaryKeyLong());
        _committer = new PartitionCommitter(table.Table, Statistics);
        var clock = Stopwatch.StartNew();
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_partitionKey}");
            await foreach (var page in table.Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
            {
                Statistics.KeyScanPage();
                foreach (var row in page.Values)
                {
                    _keys.Add(StateKey.Hash(row.RowKey));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Unavailable("scanning its row keys", e);
        }
        logger.Log(clock.Elapsed > TimeSpan.FromSeconds(1) ? LogLevel.Information : LogLevel.Debug,
            "Grain-state partition {Partition} of {Table}: {Rows} rows, key scan {Milliseconds:F0} ms",
            _partitionKey, table.Table.Name, _keys.Count, clock.Elapsed.TotalMilliseconds);
    }

    public async Task<StoredState> ReadAsync(string rowKey)
    {
        if (!_keys.Contains(StateKey.Hash(rowKey)))
        {
            Statistics.Read(fromKeySet: true);
            return StoredState.Absent;
        }
        Statistics.Read(fromKeySet: false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                Statistics.PointRead();
                var row = await table.Table.GetEntityIfExistsAsync<TableEntity>(_partitionKey, rowKey);
                if (!row.HasValue)
                {
                    return StoredState.Absent;
                }
                var entity = row.Value!;
                if (StateRow.BlobOf(entity) is not { } blob)
                {
                    return new StoredState(StateRow.InlineData(entity), StateETag.Compose(entity.ETag, null));
                }
                try
                {
                    Statistics.BlobRead();
                    var content = await table.LargeStates.GetBlobClient(blob).DownloadContentAsync();
                    return new StoredState(content.Value.Content.ToArray(), StateETag.Compose(entity.ETag, blob));
                }
                catch (RequestFailedException e) when (e.Status == 404 && attempt < BlobReadAttempts)
                {
                    // Replaced between our row read and blob read, and its blob deleted: read the row again.
                }
            }
        }
        catch (Exception e)
        {
            throw Unavailable($"reading {rowKey}", e);
        }
    }

    public async Task<StateWriteResult> WriteAsync(string rowKey, string? eTag, StateBytes data)
    {
        var (ifMatch, oldBlob) = StateETag.Parse(eTag);
        StateOperation operation;
        string? newBlob;
        try
        {
            (operation, newBlob) = await table.PrepareWriteAsync(rowKey, ifMatch, data.Data);
        }
        catch (Exception e)
        {
            throw Unavailable($"writing the blob of {rowKey}", e);
        }

        CommitOutcome outcome;
        try
        {
            outcome = await _committer.CommitAsync(operation);
        }
        catch (Exception e)
        {
            DeleteBlobLater(newBlob);
            throw Unavailable($"writing {rowKey}", e);
        }
        var hash = StateKey.Hash(rowKey);
        if (outcome.Status == CommitStatus.Committed)
        {
            _keys.Add(hash);
            DeleteBlobLater(oldBlob);
            Statistics.Write();
            var rowETag = outcome.ETag ?? throw new InvalidOperationException($"no ETag in the transaction's answer for {rowKey}");
            return StateWriteResult.Done(StateETag.Compose(rowETag, newBlob));
        }
        DeleteBlobLater(newBlob);
        if (operation.Kind == StateOperationKind.Insert && outcome.HttpStatus == 409)
        {
            _keys.Add(hash); // stored by another writer than this activation: known from now on
        }
        Statistics.Conflict();
        return StateWriteResult.Refusal(operation.Kind == StateOperationKind.Insert
            ? $"the row exists already (HTTP {outcome.HttpStatus}) but the grain held no ETag"
            : $"the row's ETag is no longer the grain's (HTTP {outcome.HttpStatus})");
    }

    public async Task<StateWriteResult> ClearAsync(string rowKey, string? eTag)
    {
        var (ifMatch, blob) = StateETag.Parse(eTag);
        var hash = StateKey.Hash(rowKey);
        try
        {
            if (ifMatch is null)
            {
                // The grain holds no ETag: right if nothing is stored.
                if (!_keys.Contains(hash))
                {
                    return StateWriteResult.Done(null);
                }
                Statistics.PointRead();
                var row = await table.Table.GetEntityIfExistsAsync<TableEntity>(_partitionKey, rowKey, select: ["RowKey"]);
                return row.HasValue ? Conflict("the row exists but the grain held no ETag") : StateWriteResult.Done(null);
            }
            var outcome = await _committer.CommitAsync(new StateOperation(StateOperationKind.Delete,
                new TableEntity(_partitionKey, rowKey), ifMatch.Value, StateRow.RequestBytes(rowKey, 0)));
            if (outcome.Status == CommitStatus.Conflict)
            {
                return Conflict($"the row's ETag is no longer the grain's (HTTP {outcome.HttpStatus})");
            }
            // Committed, or already gone (NotFound): either way nothing is stored now.
            _keys.Remove(hash);
            DeleteBlobLater(blob);
            Statistics.Clear();
            return StateWriteResult.Done(null);
        }
        catch (Exception e)
        {
            throw Unavailable($"clearing {rowKey}", e);
        }
    }

    StateWriteResult Conflict(string reason)
    {
        Statistics.Conflict();
        return StateWriteResult.Refusal(reason);
    }

    /// <summary>See <see cref="StateTable.DeleteBlobAsync"/>; not awaited: the caller's answer does not wait for it.</summary>
    void DeleteBlobLater(string? blob)
    {
        if (blob is not null)
        {
            _ = table.DeleteBlobAsync(blob, logger);
        }
    }

    /// <summary>Storage failures cross the grain boundary as a plain exception (Azure's own may not serialize).</summary>
    InvalidOperationException Unavailable(string what, Exception e) =>
        new($"Grain-state table {table.Table.Name}, partition {_partitionKey}: {what} failed: " +
            (e is RequestFailedException r ? $"HTTP {r.Status} {r.ErrorCode}: " : e.GetType().Name + ": ") + FirstLine(e.Message));

    static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
