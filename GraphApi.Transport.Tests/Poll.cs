namespace ThreatGraph.GraphApi.Transport.Tests;

internal static class Poll
{
    /// <summary>Waits for <paramref name="condition"/> with a generous deadline; fails with <paramref name="what"/> otherwise.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, "Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }
}
