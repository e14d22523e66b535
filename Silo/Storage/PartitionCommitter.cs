using Azure;
using Azure.Data.Tables;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// Group commit for one partition of the grain-state table: at most one entity group transaction in flight; the
/// operations that arrive meanwhile wait and go together in the next one (up to <see cref="MaxOperations"/> rows and
/// <see cref="MaxRequestBytes"/> of request). No timer and no fixed delay: a lone write goes at once, a burst goes in
/// as few transactions as the limits allow. Each caller's task completes when its own row is committed (or refused).
/// <para>
/// A transaction is atomic: when one operation's precondition fails (a stale ETag: 412; a row that already exists:
/// 409; one that is gone: 404), Azure names that operation's index and nothing was written. That operation alone gets
/// its outcome; the others go back to the head of the queue, in their order, for the next transaction. A row is never
/// twice in one transaction (Azure refuses it): a later operation on a row waits for the earlier one's transaction,
/// so each row's operations commit in the order they came. Thread-safe; used by one <see cref="StatePartitionGrain"/>.
/// </para>
/// </summary>
public sealed class PartitionCommitter(TableClient table, StorageStatistics statistics)
{
    /// <summary>Azure's cap on operations per entity group transaction.</summary>
    public const int MaxOperations = 100;

    /// <summary>Azure caps a transaction's request at 4 MiB (Azurite enforces it: RequestBodyTooLarge); this leaves
    /// room for the batch envelope beyond <see cref="StateRow.RequestBytes"/>' per-operation estimate.</summary>
    public const int MaxRequestBytes = 3_800_000;

    readonly object _gate = new();
    readonly LinkedList<Pending> _queue = new();
    bool _running;

    /// <summary>Queues one operation; completes once its transaction has committed or the operation was refused.</summary>
    public Task<CommitOutcome> CommitAsync(StateOperation operation) => CommitAllAsync([operation])[0];

    /// <summary>Queues operations together (in this order, before any of them can leave): one task per operation.</summary>
    public IReadOnlyList<Task<CommitOutcome>> CommitAllAsync(IReadOnlyList<StateOperation> operations)
    {
        var pending = operations.Select(o => new Pending(o)).ToList();
        bool start;
        lock (_gate)
        {
            foreach (var p in pending)
            {
                _queue.AddLast(p);
            }
            start = !_running;
            _running = true;
        }
        if (start)
        {
            _ = RunAsync();
        }
        return [.. pending.Select(p => p.Completion.Task)];
    }

    async Task RunAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                batch = TakeBatch();
                if (batch.Count == 0)
                {
                    _running = false;
                    return;
                }
            }
            try
            {
                await ExecuteAsync(batch);
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Completion.TrySetException(e);
            }
        }
    }

    /// <summary>From the head of the queue: rows not yet in the batch, until a limit is reached. Operations on a row
    /// already in the batch stay queued, in order, for a later transaction.</summary>
    List<Pending> TakeBatch()
    {
        var batch = new List<Pending>();
        var rows = new HashSet<string>(StringComparer.Ordinal);
        var bytes = 0;
        for (var node = _queue.First; node is not null && batch.Count < MaxOperations;)
        {
            var next = node.Next;
            var op = node.Value.Operation;
            if (!rows.Contains(op.RowKey))
            {
                if (batch.Count > 0 && bytes + op.RequestBytes > MaxRequestBytes)
                {
                    break;
                }
                batch.Add(node.Value);
                rows.Add(op.RowKey);
                bytes += op.RequestBytes;
                _queue.Remove(node);
            }
            node = next;
        }
        return batch;
    }

    async Task ExecuteAsync(List<Pending> batch)
    {
        statistics.Transaction(batch.Count);
        try
        {
            var response = await table.SubmitTransactionAsync(batch.Select(p => p.Operation.ToAction()));
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(new CommitOutcome(CommitStatus.Committed, response.Value[i].Headers.ETag, response.Value[i].Status));
            }
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is { } index && index >= 0 && index < batch.Count)
        {
            var failed = batch[index];
            if (IsPrecondition(e.Status))
            {
                failed.Completion.TrySetResult(new CommitOutcome(e.Status == 404 ? CommitStatus.NotFound : CommitStatus.Conflict, null, e.Status));
            }
            else
            {
                failed.Completion.TrySetException(e);
            }
            Requeue(batch, index);
        }
        catch (TableTransactionFailedException e) when (batch.Count > 1 && IsPrecondition(e.Status))
        {
            // The service did not say which operation failed (Azurite before 3.16 did not): one by one, in order.
            foreach (var p in batch)
            {
                await ExecuteAsync([p]);
            }
        }
        catch (RequestFailedException e) when (batch.Count == 1 && IsPrecondition(e.Status))
        {
            batch[0].Completion.TrySetResult(new CommitOutcome(e.Status == 404 ? CommitStatus.NotFound : CommitStatus.Conflict, null, e.Status));
        }
    }

    /// <summary>The batch minus its failed operation goes back to the head of the queue, in its order (every queued
    /// operation on those rows came after them).</summary>
    void Requeue(List<Pending> batch, int failedIndex)
    {
        lock (_gate)
        {
            for (var i = batch.Count - 1; i >= 0; i--)
            {
                if (i != failedIndex)
                {
                    _queue.AddFirst(batch[i]);
                }
            }
        }
    }

    static bool IsPrecondition(int status) => status is 404 or 409 or 412;

    sealed class Pending(StateOperation operation)
    {
        public StateOperation Operation { get; } = operation;
        public TaskCompletionSource<CommitOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

public enum CommitStatus
{
    /// <summary>Written (or deleted) in a committed transaction.</summary>
    Committed,

    /// <summary>Refused by its precondition: the row's ETag is not the one given (412), or it exists already (409).</summary>
    Conflict,

    /// <summary>Refused: the row to replace or delete does not exist (404).</summary>
    NotFound,
}

/// <param name="ETag">The row's new ETag when committed (none for a delete).</param>
/// <param name="HttpStatus">The status of the operation's own response in the transaction.</param>
public readonly record struct CommitOutcome(CommitStatus Status, ETag? ETag, int HttpStatus);

public enum StateOperationKind
{
    /// <summary>Add: the grain holds no ETag, so the row must not exist.</summary>
    Insert,

    /// <summary>Replace if the row's ETag is still the one the grain holds.</summary>
    Replace,

    /// <summary>Delete if the row's ETag is still the one the grain holds.</summary>
    Delete,
}

/// <summary>One row operation for the committer; <see cref="RequestBytes"/> is what it adds to the transaction's request.</summary>
public sealed record StateOperation(StateOperationKind Kind, TableEntity Entity, ETag IfMatch, int RequestBytes)
{
    public string RowKey => Entity.RowKey;

    public TableTransactionAction ToAction() => Kind switch
    {
        StateOperationKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, Entity),
        StateOperationKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, Entity, IfMatch),
        _ => new TableTransactionAction(TableTransactionActionType.Delete, Entity, IfMatch),
    };
}
