namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

/// <summary>Emits 0..count-1 as fast as it can on a background thread, then completes.</summary>
public sealed class TicksObservable(int count, TickProbe probe) : IObservable<object?>
{
    public IDisposable Subscribe(IObserver<object?> observer)
    {
        var subscription = new Subscription();
        _ = Task.Run(() =>
        {
            try
            {
                for (var i = 0; i < count && !subscription.IsDisposed; i++)
                {
                    observer.OnNext(i);
                    probe.CountEmission();
                }

                if (!subscription.IsDisposed)
                {
                    observer.OnCompleted();
                }
            }
            finally
            {
                probe.Finished.TrySetResult();
            }
        });
        return subscription;
    }

    private sealed class Subscription : IDisposable
    {
        private int _disposed;

        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
    }
}
