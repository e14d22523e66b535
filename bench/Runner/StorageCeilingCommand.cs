using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace ThreatGraph.Bench.Runner;

/// <summary>
/// <c>Runner storage-ceiling --conn CONNECTION [--seconds 5] [--bytes 3700] [--concurrency 16,64,256] [--out FILE]</c>:
/// what the storage account (Azurite here) takes at most, measured with the Azure SDKs as the silo uses them:
/// small blob PUTs per second (one state per blob, how Orleans' blob storage writes) and table rows per second in
/// entity group transactions of 100 rows (how ThreatGraph's group-commit storage writes), at each concurrency.
/// Run it against the same emulator as the ingest, just before it, so ingest can be reported as a fraction of it.
/// </summary>
public static class StorageCeilingCommand
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(Options o)
    {
        var conn = o.Get("conn") ?? throw new ArgumentException("--conn is required");
        var seconds = o.GetDouble("seconds", 5);
        var bytes = o.GetInt("bytes", 3700);
        var levels = o.Get("concurrency", "16,64,256").Split(',').Select(int.Parse).ToList();
        var payload = new byte[bytes];
        new Random(42).NextBytes(payload);
        var suffix = Guid.NewGuid().ToString("N")[..8];

        var container = new BlobServiceClient(conn).GetBlobContainerClient("ceiling" + suffix);
        await container.CreateIfNotExistsAsync();
        var table = new TableServiceClient(conn).GetTableClient("ceiling" + suffix);
        await table.CreateIfNotExistsAsync();

        var result = new Dictionary<string, double>();
        foreach (var c in levels)
        {
            var puts = await RateAsync(c, seconds, async (worker, i) =>
            {
                await container.GetBlobClient($"w{worker}/b{i % 500}").UploadAsync(BinaryData.FromBytes(payload), overwrite: true);
                return 1;
            });
            result[$"blob PUT/s at {c}"] = Math.Round(puts);
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] blob PUTs of {bytes} B, {c} concurrent: {puts:F0}/s");
        }
        var text = Convert.ToBase64String(payload)[..Math.Min(bytes, 30_000)];
        foreach (var c in levels.Where(c => c <= 64))
        {
            var rows = await RateAsync(c, seconds, async (worker, i) =>
            {
                var partition = $"w{worker}";
                var actions = Enumerable.Range(0, 100).Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity(partition, $"r{(i * 100 + r) % 5000}") { ["Data"] = text })).ToList();
                await table.SubmitTransactionAsync(actions);
                return 100;
            });
            result[$"table rows/s in 100-row transactions at {c}"] = Math.Round(rows);
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] table rows of ~{text.Length} chars in 100-row transactions, {c} concurrent: {rows:F0} rows/s");
        }
        await container.DeleteIfExistsAsync();
        await table.DeleteAsync();

        var json = JsonSerializer.Serialize(result, Indented);
        if (o.Get("out") is { } file) await File.WriteAllTextAsync(file, json);
        Console.WriteLine(json);
        return 0;
    }

    /// <summary>Units per second with <paramref name="concurrency"/> workers calling <paramref name="op"/> back to back for the given time.</summary>
    static async Task<double> RateAsync(int concurrency, double seconds, Func<int, int, Task<int>> op)
    {
        long units = 0;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            for (var i = 0; clock.Elapsed < until; i++)
            {
                Interlocked.Add(ref units, await op(worker, i));
            }
        }));
        return units / clock.Elapsed.TotalSeconds;
    }
}
