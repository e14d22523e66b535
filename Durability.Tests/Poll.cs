using System.Diagnostics;

namespace ThreatGraph.Durability.Tests;

public static class Poll
{
    /// <summary>Retries until the condition holds or the deadline passes; the failure says what did not happen.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < deadline)
        {
            try
            {
                if (await condition())
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(250));
        }
        throw new TimeoutException($"{what} did not happen within {deadline.TotalSeconds:0} s" + (last is null ? "" : $" (last error: {last.Message})"), last);
    }
}
