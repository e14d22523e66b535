using System.Threading.Channels;
using Orleans.Streams;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Subscriptions;

/// <summary>
/// Bridges an Orleans stream to the <see cref="IObservable{T}"/> a GraphQL subscription field returns. The stream
/// subscription is made before the field resolves (so nothing published after that is missed); events go into a
/// bounded buffer that drops the oldest when a subscriber is slow, so the producer (the cluster grain, hence ingest)
/// never waits for a subscriber. Disposing unsubscribes. A failure (mapping an event throws, e.g. a grain call timed
/// out, or the stream reports an error) ends the subscription with an error to the subscriber, never silently: a
/// subscriber would otherwise wait forever on a pump that died.
/// </summary>
public sealed class StreamObservable<T> : IObservable<object?>, IAsyncObserver<T>, IDisposable
{
    readonly Channel<object?> _buffer;
    readonly CancellationTokenSource _stop = new();
    StreamSubscriptionHandle<T>? _handle;
    int _subscribed;

    readonly Func<object?, Task<object?>>? _map;
    readonly IDisposable? _watch;

    /// <param name="map">Applied to each event before delivery, one at a time in order; null drops the event (this is
    /// where events are cut down to what the subscriber may see).</param>
    /// <param name="watch">The stream's watch (<see cref="StreamWatches"/>), released when this is disposed.</param>
    public StreamObservable(int capacity, Func<object?, Task<object?>>? map = null, IDisposable? watch = null)
    {
        _map = map;
        _watch = watch;
        _buffer = Channel.CreateBounded<object?>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
    }

    internal async Task StartAsync(IClusterClient client, StreamId id, object? first)
    {
        _handle = await client.GetStreamProvider(StorageNames.Streams).GetStream<T>(id).SubscribeAsync(this);
        if (first is not null)
        {
            _buffer.Writer.TryWrite(first);
        }
    }

    public IDisposable Subscribe(IObserver<object?> observer)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) != 0)
        {
            throw new InvalidOperationException("a stream observable serves one subscriber");
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in _buffer.Reader.ReadAllAsync(_stop.Token))
                {
                    if ((_map is null ? item : await _map(item)) is { } delivered)
                    {
                        observer.OnNext(delivered);
                    }
                }
                if (!_stop.IsCancellationRequested)
                {
                    observer.OnCompleted(); // the stream completed
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // unsubscribed
            }
            catch (Exception e)
            {
                observer.OnError(e);
                Dispose();
            }
        });
        return this;
    }

    public Task OnNextAsync(T item, StreamSequenceToken? token = null)
    {
        _buffer.Writer.TryWrite(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync()
    {
        _buffer.Writer.TryComplete();
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex)
    {
        _buffer.Writer.TryComplete(ex); // delivered after the events before it
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        _stop.Cancel();
        _buffer.Writer.TryComplete();
        _watch?.Dispose();
        if (_handle is { } handle)
        {
            _ = handle.UnsubscribeAsync();
        }
    }
}

public static class StreamObservable
{
    /// <summary>Subscribes to the stream now; <paramref name="first"/> (the current state), when given, is delivered first.</summary>
    public static async Task<StreamObservable<T>> SubscribeAsync<T>(IClusterClient client, StreamId id, int capacity, object? first = null,
        Func<object?, Task<object?>>? map = null, IDisposable? watch = null)
    {
        var observable = new StreamObservable<T>(capacity, map, watch);
        try
        {
            await observable.StartAsync(client, id, first);
        }
        catch
        {
            observable.Dispose(); // releases the watch
            throw;
        }
        return observable;
    }
}
