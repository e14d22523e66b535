using System.Collections.Concurrent;

namespace ThreatGraph.GraphApi.Security;

/// <summary>Counts open graphql-transport-ws connections per credential.</summary>
public sealed class WebSocketConnectionLimiter
{
    readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <returns>A handle that releases the slot when disposed, or null when the key is at its limit.</returns>
    public IDisposable? TryAcquire(string key, int limit)
    {
        while (true)
        {
            var current = _open.GetOrAdd(key, 0);
            if (current >= limit)
            {
                return null;
            }
            if (_open.TryUpdate(key, current + 1, current))
            {
                return new Release(this, key);
            }
        }
    }

    public int OpenCount(string key) => _open.GetValueOrDefault(key);

    sealed class Release(WebSocketConnectionLimiter owner, string key) : IDisposable
    {
        int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner._open.AddOrUpdate(key, 0, (_, n) => Math.Max(0, n - 1));
            }
        }
    }
}
