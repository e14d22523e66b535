using ThreatGraph.GraphApi.Subscriptions;

namespace ThreatGraph.GraphApi.Transport.Tests;

/// <summary>A subscription's pump never dies silently: a failing event map or a stream error reaches the subscriber as
/// an error (the transport sends it as a GraphQL error and completes the operation), after the events before it.</summary>
public sealed class StreamObservableTests
{
    sealed class Recorder : IObserver<object?>
    {
        public List<object?> Items { get; } = [];
        public TaskCompletionSource<Exception?> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void OnNext(object? value) => Items.Add(value);
        public void OnError(Exception error) => Ended.TrySetResult(error);
        public void OnCompleted() => Ended.TrySetResult(null);
    }

    static async Task<Exception?> EndOf(Recorder r) => await r.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task A_map_that_throws_ends_the_subscription_with_its_error()
    {
        var observable = new StreamObservable<string>(16, item => (string)item! == "bad"
            ? throw new TimeoutException("grain call timed out")
            : Task.FromResult<object?>(item));
        var recorder = new Recorder();
        observable.Subscribe(recorder);
        await observable.OnNextAsync("one");
        await observable.OnNextAsync("bad");
        await observable.OnNextAsync("never");

        var error = await EndOf(recorder);

        Assert.IsType<TimeoutException>(error);
        Assert.Equal(["one"], recorder.Items);
    }

    [Fact]
    public async Task A_stream_error_reaches_the_subscriber_after_the_events_before_it()
    {
        var observable = new StreamObservable<string>(16);
        var recorder = new Recorder();
        observable.Subscribe(recorder);
        await observable.OnNextAsync("one");
        await observable.OnErrorAsync(new InvalidOperationException("queue cache miss"));

        Assert.IsType<InvalidOperationException>(await EndOf(recorder));
        Assert.Equal(["one"], recorder.Items);
    }

    [Fact]
    public async Task A_completed_stream_completes_the_subscription_and_an_unsubscribe_ends_it_quietly()
    {
        var completed = new StreamObservable<string>(16);
        var recorder = new Recorder();
        completed.Subscribe(recorder);
        await completed.OnNextAsync("one");
        await completed.OnCompletedAsync();
        Assert.Null(await EndOf(recorder));
        Assert.Equal(["one"], recorder.Items);

        var unsubscribed = new StreamObservable<string>(16);
        var quiet = new Recorder();
        unsubscribed.Subscribe(quiet);
        unsubscribed.Dispose();
        await unsubscribed.OnNextAsync("after");
        Assert.False(quiet.Ended.Task.IsCompleted);
        Assert.Empty(quiet.Items);
    }
}
