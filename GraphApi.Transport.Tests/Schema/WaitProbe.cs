namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

/// <summary>Records what the <c>wait</c> resolver saw: it starts, then waits until its execution is cancelled.</summary>
public sealed class WaitProbe
{
    /// <summary>Completes when the resolver has started waiting.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the resolver's cancellation token fired.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal async Task<string?> WaitAsync(CancellationToken cancellation)
    {
        using var registration = cancellation.Register(() => Cancelled.TrySetResult());
        Started.TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellation);
        return null;
    }
}
