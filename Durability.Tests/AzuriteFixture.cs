using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ThreatGraph.Silo.Hosting;
using ThreatGraph.Silo.Storage;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// Azurite (pinned in deploy/package.json) on free loopback ports with a temporary data folder, started for the
/// collection and killed after it. Installs it with <c>npm ci --prefix deploy</c> when deploy/node_modules is
/// missing. Never skips: no Node.js or no Azurite is a failure that says so.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    Process? _process;
    readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "tg-azurite-" + Guid.NewGuid().ToString("N"));

    public int BlobPort { get; } = FreePort.Next();
    public int QueuePort { get; } = FreePort.Next();
    public int TablePort { get; } = FreePort.Next();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public BlobServiceClient Blobs => new(ConnectionString);

    public TableServiceClient Tables => new(ConnectionString);

    /// <summary>The grain-state table of a service (azure mode).</summary>
    public TableClient StateTable(string serviceId) => Tables.GetTableClient(SiloHostingExtensions.TableName(serviceId));

    public async Task InitializeAsync()
    {
        var deploy = RepoRoot.PathOf("deploy");
        var main = Path.Combine(deploy, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(main))
        {
            await RunAsync("npm", $"ci --prefix \"{deploy}\" --no-audit --no-fund", TimeSpan.FromMinutes(5));
        }
        Directory.CreateDirectory(_dataFolder);
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                main, "--silent", "--loose", "--location", _dataFolder,
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start Azurite (node)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Poll.UntilAsync(async () =>
            !_process.HasExited && await FreePort.AnswersAsync(BlobPort) && await FreePort.AnswersAsync(QueuePort) && await FreePort.AnswersAsync(TablePort),
            TimeSpan.FromSeconds(60), $"Azurite answering on 127.0.0.1:{BlobPort}/{QueuePort}/{TablePort}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Grain states of a service (azure mode): their serialized bytes, how many, the largest (rows of the
    /// grain-state table, a state in a blob counted at its length).</summary>
    public async Task<(long Bytes, int Count, long Largest)> StateUsageAsync(string serviceId, string? rowKeyContains = null)
    {
        long bytes = 0, largest = 0;
        var count = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey ne {StateTableLayout.LayoutPartitionKey}");
        await foreach (var row in StateTable(serviceId).QueryAsync<TableEntity>(filter, select: [StateRow.LengthProperty, "RowKey"]))
        {
            if (rowKeyContains is not null && !row.RowKey.Contains(rowKeyContains, StringComparison.Ordinal))
            {
                continue;
            }
            var size = row.GetInt32(StateRow.LengthProperty) ?? 0;
            bytes += size;
            largest = Math.Max(largest, size);
            count++;
        }
        return (bytes, count, largest);
    }

    /// <summary>Total bytes and count of the blobs in a container.</summary>
    public async Task<(long Bytes, int Count, long Largest)> BlobUsageAsync(string container)
    {
        long bytes = 0, largest = 0;
        var count = 0;
        await foreach (var blob in Blobs.GetBlobContainerClient(container).GetBlobsAsync())
        {
            var size = blob.Properties.ContentLength ?? 0;
            bytes += size;
            largest = Math.Max(largest, size);
            count++;
        }
        return (bytes, count, largest);
    }

    static async Task RunAsync(string file, string arguments, TimeSpan timeout)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
                      ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({p.ExitCode}): {await stderr}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
