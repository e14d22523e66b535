using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace ThreatGraph.Silo.Hosting;

/// <summary>
/// The three Azure Storage service clients built from one connection string, and a probe that asks each service
/// one cheap question with a short timeout and no retries, so that a wrong or unreachable connection string fails
/// start-up in seconds with a message naming the key (Orleans itself would retry for minutes).
/// </summary>
public sealed class AzureStorageConnection
{
    const string Key = ThreatGraphSiloOptions.Keys.AzureStorageConnectionString;

    AzureStorageConnection(string connectionString)
    {
        ConnectionString = connectionString;
        Tables = new TableServiceClient(connectionString);
        Blobs = new BlobServiceClient(connectionString);
        Queues = new QueueServiceClient(connectionString);
    }

    public string ConnectionString { get; }
    public TableServiceClient Tables { get; }
    public BlobServiceClient Blobs { get; }
    public QueueServiceClient Queues { get; }

    /// <summary>Builds the clients; a missing or unparsable connection string throws, naming the key.</summary>
    public static AzureStorageConnection Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupConfigurationException(
                $"{Key} is required when {ThreatGraphSiloOptions.Keys.Storage}=azure (environment: Orleans__AzureStorageConnectionString). " +
                "For Azurite started by deploy/azurite.sh, see deploy/README.md.");
        }
        try
        {
            return new AzureStorageConnection(connectionString);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            throw new StartupConfigurationException($"{Key} is not a valid Azure Storage connection string: {e.Message}", e);
        }
    }

    /// <summary>Asks the blob, queue and table services one question each; throws naming the key and the service that failed.</summary>
    public async Task ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var tables = new TableServiceClient(ConnectionString, Quick(new TableClientOptions(), timeout));
        var blobs = new BlobServiceClient(ConnectionString, Quick(new BlobClientOptions(), timeout));
        var queues = new QueueServiceClient(ConnectionString, Quick(new QueueClientOptions(), timeout));
        await Task.WhenAll(
            Ask("table", tables.Uri, async ct => { await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages()) break; }, timeout, cts.Token),
            Ask("blob", blobs.Uri, async ct => { await foreach (var _ in blobs.GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1)) break; }, timeout, cts.Token),
            Ask("queue", queues.Uri, async ct => { await foreach (var _ in queues.GetQueuesAsync(cancellationToken: ct).AsPages(pageSizeHint: 1)) break; }, timeout, cts.Token));
    }

    static async Task Ask(string service, Uri endpoint, Func<CancellationToken, Task> question, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await question(ct);
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            throw new StartupConfigurationException(
                $"{Key}: the {service} service at {endpoint} refused the credentials (HTTP {e.Status} {e.ErrorCode}). Check AccountName/AccountKey.", e);
        }
        catch (RequestFailedException e) when (e.Status != 0)
        {
            // It answered: reachable. Other statuses (an emulator that lacks this call) are not our concern here.
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            var why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : Innermost(e).Message;
            throw new StartupConfigurationException(
                $"{Key}: the {service} service at {endpoint} is unreachable ({why}). Is Azure Storage / Azurite running " +
                "(deploy/azurite.sh) and does the connection string name its endpoints?", e);
        }
    }

    static T Quick<T>(T options, TimeSpan timeout) where T : ClientOptions
    {
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = timeout;
        return options;
    }

    static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }
        return e;
    }
}
