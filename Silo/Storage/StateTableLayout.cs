using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ThreatGraph.Silo.Hosting;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// The start-up check of the grain-state table (azure mode, before Orleans starts): creates the table and the
/// large-state container if needed, and keeps one metadata row (<c>~layout</c>) with the layout version and the
/// partition count the table was created with. A row's partition is its key's hash mod that count, so a silo started
/// with another count would look for every state in the wrong partition: it is refused, naming the setting, as is a
/// service whose grain state is still in the previous layout (one blob per grain), which this version does not read.
/// </summary>
public static class StateTableLayout
{
    /// <summary>Bump when <see cref="StateKey"/> or <see cref="StateRow"/> change where or how a state is stored.</summary>
    public const int Version = 1;

    public const string LayoutPartitionKey = "~layout";
    public const string LayoutRowKey = "~layout";

    /// <param name="previousLayoutContainer">Where the previous layout kept one blob per grain state.</param>
    public static async Task EnsureAsync(TableServiceClient tables, BlobServiceClient blobs, string tableName,
        string largeStateContainer, string previousLayoutContainer, int partitions, CancellationToken cancellationToken)
    {
        var table = tables.GetTableClient(tableName);
        await table.CreateIfNotExistsAsync(cancellationToken);
        await blobs.GetBlobContainerClient(largeStateContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);

        var layout = await table.GetEntityIfExistsAsync<TableEntity>(LayoutPartitionKey, LayoutRowKey, cancellationToken: cancellationToken);
        if (!layout.HasValue)
        {
            await RefusePreviousLayoutAsync(blobs, previousLayoutContainer, tableName, cancellationToken);
            try
            {
                await table.AddEntityAsync(new TableEntity(LayoutPartitionKey, LayoutRowKey)
                {
                    ["Version"] = Version,
                    ["Partitions"] = partitions,
                    ["Created"] = DateTimeOffset.UtcNow,
                }, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another silo of the cluster created it first: check ours against it.
                layout = await table.GetEntityIfExistsAsync<TableEntity>(LayoutPartitionKey, LayoutRowKey, cancellationToken: cancellationToken);
            }
        }
        var row = layout.Value!;
        var version = row.GetInt32("Version");
        var stored = row.GetInt32("Partitions");
        var created = row.GetDateTimeOffset("Created")?.ToString("u", CultureInfo.InvariantCulture) ?? "an unknown date";
        if (version != Version)
        {
            throw new StartupConfigurationException(
                $"The grain-state table '{tableName}' has layout version {version}, created {created}; this build reads version {Version} only. " +
                $"Run the build that wrote it, or give a new {ThreatGraphSiloOptions.Keys.ServiceId} (a new, empty table) and ingest again.");
        }
        if (stored != partitions)
        {
            throw new StartupConfigurationException(
                $"{ThreatGraphSiloOptions.Keys.StoragePartitions} is {partitions}, but the grain-state table '{tableName}' was created {created} " +
                $"with {stored} partitions. A grain's state is in partition hash mod that count, so with {partitions} every state would be looked " +
                $"for in the wrong partition (and look absent). Start with {ThreatGraphSiloOptions.Keys.StoragePartitions}={stored}, or give a new " +
                $"{ThreatGraphSiloOptions.Keys.ServiceId} (a new, empty table) and ingest again.");
        }
    }

    static async Task RefusePreviousLayoutAsync(BlobServiceClient blobs, string container, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in blobs.GetBlobContainerClient(container).GetBlobsAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
            {
                if (page.Values.Count > 0)
                {
                    throw new StartupConfigurationException(
                        $"Blob container '{container}' holds grain state in the previous layout (one blob per grain); this version keeps grain " +
                        $"state in table '{tableName}' and would start empty beside it. Give a new {ThreatGraphSiloOptions.Keys.ServiceId} and " +
                        $"ingest again, or delete the container '{container}' to start from nothing.");
                }
                break;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No such container: nothing of the previous layout.
        }
    }
}
