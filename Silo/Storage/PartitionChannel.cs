namespace ThreatGraph.Silo.Storage;

/// <summary>
/// This silo's line to one partition's owner (<see cref="IStatePartitionGrain"/>): the storage requests of this silo's
/// grains go in batches, at most one call in flight; requests that arrive meanwhile go together in the next call (up
/// to <see cref="MaxRequests"/> requests and <see cref="MaxBytes"/> of states). Group commit one level up: the owner
/// lives on one silo, so without this every grain write of the other silos would be a call of its own across the
/// network. The loop runs outside any grain's scheduler (it serves the grains of the whole silo). Thread-safe.
/// </summary>
public sealed class PartitionChannel(IStatePartitionGrain owner)
{
    public const int MaxRequests = 200;
    public const int MaxBytes = 8 * 1024 * 1024;

    readonly object _gate = new();
    readonly Queue<Pending> _queue = new();
    bool _running;

    public Task<StateResult> SendAsync(StateRequest request)
    {
        var pending = new Pending(request);
        bool start;
        lock (_gate)
        {
            _queue.Enqueue(pending);
            start = !_running;
            _running = true;
        }
        if (start)
        {
            _ = Task.Run(RunAsync);
        }
        return pending.Completion.Task;
    }

    async Task RunAsync()
    {
        while (true)
        {
            var batch = new List<Pending>();
            lock (_gate)
            {
                var bytes = 0;
                while (_queue.Count > 0 && batch.Count < MaxRequests && (batch.Count == 0 || bytes + _queue.Peek().Request.Bytes <= MaxBytes))
                {
                    var next = _queue.Dequeue();
                    bytes += next.Request.Bytes;
                    batch.Add(next);
                }
                if (batch.Count == 0)
                {
                    _running = false;
                    return;
                }
            }
            try
            {
                var results = await owner.ExecuteAsync([.. batch.Select(p => p.Request)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch)
                {
                    p.Completion.TrySetException(e);
                }
            }
        }
    }

    sealed class Pending(StateRequest request)
    {
        public StateRequest Request { get; } = request;
        public TaskCompletionSource<StateResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
