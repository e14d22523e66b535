namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

/// <summary>Records what a <see cref="TicksObservable"/> producer did.</summary>
public sealed class TickProbe
{
    private int _emitted;

    public int Emitted => Volatile.Read(ref _emitted);

    /// <summary>Completes when the producer loop has exited (all emitted, or the subscriber went away).</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal void CountEmission() => Interlocked.Increment(ref _emitted);
}
