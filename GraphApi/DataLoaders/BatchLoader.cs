using GraphQL.DataLoader;

namespace ThreatGraph.GraphApi.DataLoaders;

/// <summary>
/// A per-request batching loader: keys asked for while a GraphQL level resolves are fetched in one batch when the
/// executor asks for the first result (GraphQL.DataLoader is not available here, so this is ours).
/// </summary>
public class BatchLoader<TKey, TValue>(Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
    where TKey : notnull
{
    readonly Lock _gate = new();
    readonly Dictionary<TKey, TaskCompletionSource<TValue?>> _entries = [];
    List<TKey> _queue = [];

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var tcs))
            {
                _entries[key] = tcs = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _queue.Add(key);
            }
            return new Result(this, tcs.Task);
        }
    }

    public async Task<TValue?> LoadNowAsync(TKey key, CancellationToken ct) => await Load(key).GetResultAsync(ct);

    async Task DispatchAsync(CancellationToken ct)
    {
        List<TKey> keys;
        TaskCompletionSource<TValue?>[] waiting;
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                return;
            }
            keys = _queue;
            _queue = [];
            waiting = [.. keys.Select(k => _entries[k])];
        }
        try
        {
            var values = await fetch(keys, ct);
            for (var i = 0; i < keys.Count; i++)
            {
                waiting[i].TrySetResult(values.TryGetValue(keys[i], out var v) ? v : default);
            }
        }
        catch (Exception e)
        {
            foreach (var w in waiting)
            {
                w.TrySetException(e);
            }
        }
    }

    sealed class Result(BatchLoader<TKey, TValue> owner, Task<TValue?> task) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            if (!task.IsCompleted)
            {
                await owner.DispatchAsync(cancellationToken);
            }
            return await task;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await GetResultAsync(cancellationToken);
    }
}
