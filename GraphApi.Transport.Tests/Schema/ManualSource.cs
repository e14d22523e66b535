namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

/// <summary>A source the test pushes into; tracks its live observers.</summary>
public sealed class ManualSource : IObservable<object?>
{
    private readonly object _gate = new();
    private readonly List<IObserver<object?>> _observers = [];

    public int ObserverCount
    {
        get
        {
            lock (_gate)
            {
                return _observers.Count;
            }
        }
    }

    public IDisposable Subscribe(IObserver<object?> observer)
    {
        lock (_gate)
        {
            _observers.Add(observer);
        }

        return new Unsubscriber(this, observer);
    }

    public void Publish(string value)
    {
        foreach (var observer in Snapshot())
        {
            observer.OnNext(value);
        }
    }

    public void Complete()
    {
        foreach (var observer in Snapshot())
        {
            observer.OnCompleted();
        }
    }

    private IObserver<object?>[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _observers];
        }
    }

    private sealed class Unsubscriber(ManualSource source, IObserver<object?> observer) : IDisposable
    {
        public void Dispose()
        {
            lock (source._gate)
            {
                source._observers.Remove(observer);
            }
        }
    }
}
