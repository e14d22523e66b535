using System.Diagnostics;

namespace ThreatGraph.TestSupport;

/// <summary>
/// Waiting for something another thread or process does: the condition is checked again until it holds or the
/// timeout passes, and then the failure says what did not happen. Never a fixed sleep.
/// </summary>
public static class Poll
{
    static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>Retries until <paramref name="condition"/> holds (an exception counts as "not yet"); how long it took.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time: <paramref name="failureMessage"/> and the last error.</exception>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failureMessage, TimeSpan? every = null) =>
        (await PollAsync(condition, ok => ok, timeout, _ => failureMessage, every)).Elapsed;

    /// <summary>The same for a condition that needs no I/O.</summary>
    public static Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan timeout, string failureMessage, TimeSpan? every = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, failureMessage, every);

    /// <summary>Reads until <paramref name="done"/> holds for what was read, and returns it; the failure message is
    /// made from the last value read (default when every read threw).</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, Func<T?, string> failureMessage,
        TimeSpan? every = null) =>
        (await PollAsync(read, done, timeout, failureMessage, every)).Value;

    static async Task<(T Value, TimeSpan Elapsed)> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout,
        Func<T?, string> failureMessage, TimeSpan? every)
    {
        var clock = Stopwatch.StartNew();
        T? last = default;
        Exception? error = null;
        while (true)
        {
            try
            {
                last = await read();
                error = null;
                if (done(last))
                {
                    return (last, clock.Elapsed);
                }
            }
            catch (Exception e)
            {
                error = e;
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"{failureMessage(last)} (still not so after {timeout.TotalSeconds:0.#} s" +
                                           (error is null ? ")" : $"; last error: {error.Message})"), error);
            }
            await Task.Delay(every ?? DefaultEvery);
        }
    }
}
