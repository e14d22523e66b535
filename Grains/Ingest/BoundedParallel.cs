using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Ingest;

/// <summary>Runs an async body over items with at most <c>limit</c> in flight, on the caller's scheduler (grain-safe:
/// no ConfigureAwait(false), no thread-pool hop).</summary>
public static class BoundedParallel
{
    public static async Task ForEachAsync<T>(IEnumerable<T> items, int limit, Func<T, Task> body)
    {
        var inFlight = new List<Task>(limit);
        foreach (var item in items)
        {
            if (inFlight.Count >= limit)
            {
                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                await done; // surface its exception
            }
            inFlight.Add(body(item));
        }
        await Task.WhenAll(inFlight);
    }
}
