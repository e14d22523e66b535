namespace ThreatGraph.Durability.Tests;

/// <summary>
/// What a bundle gives when a fresh service (a silo process on in-memory storage, nothing before it, nothing killed)
/// gets it once: the expectation for a service that got the same objects through kills, restarts and re-sends.
/// Read once per bundle and kept for the test run (the tests that use it share one Azurite collection, one at a time).
/// </summary>
public static class ReferenceGraph
{
    static readonly Dictionary<string, Task<GraphFingerprint>> Read = new(StringComparer.Ordinal);
    static readonly Lock Gate = new();

    /// <summary>The fingerprint of <paramref name="ids"/> after a fresh service got <paramref name="bundle"/> once.</summary>
    public static Task<GraphFingerprint> OfAsync(string name, byte[] bundle, IReadOnlyList<string> ids)
    {
        lock (Gate)
        {
            if (!Read.TryGetValue(name, out var task) || task.IsFaulted || task.IsCanceled)
            {
                Read[name] = task = ReadAsync(bundle, ids);
            }
            return task;
        }
    }

    static async Task<GraphFingerprint> ReadAsync(byte[] bundle, IReadOnlyList<string> ids)
    {
        await using var fresh = await SiloProcess.StartAsync(null, "reference" + Guid.NewGuid().ToString("N")[..8],
            "c" + Guid.NewGuid().ToString("N")[..8], SiloProcess.Ports.Free());
        using var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new("application/json");
        using var response = await fresh.Http.PostAsync("/api/bundles", content);
        Assert.True(response.IsSuccessStatusCode, $"reference ingest: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await GraphFingerprint.ReadAsync(fresh.Http, ids);
    }
}
