using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// The grain-state table of one service (azure mode) and what its partition grains share: the table, the container
/// for states too large for a row, the partition count and the request statistics; and how one state becomes one row
/// operation. One per silo (DI singleton).
/// </summary>
public sealed class StateTable(TableClient table, BlobContainerClient largeStates, int partitions, StorageStatistics statistics)
{
    /// <summary>Largest state kept inline in its row (15 × 64 KiB is the most a row holds; this leaves a margin under
    /// the 1 MiB entity cap and lets three such rows share one 4 MiB transaction). Larger states go to a blob.</summary>
    public const int DefaultInlineLimitBytes = 900_000;

    public TableClient Table { get; } = table;
    public BlobContainerClient LargeStates { get; } = largeStates;
    public int Partitions { get; } = partitions;
    public StorageStatistics Statistics { get; } = statistics;
    public int InlineLimitBytes { get; init; } = DefaultInlineLimitBytes;

    /// <summary>The row operation that stores <paramref name="data"/>: inline, or (too large for a row) uploaded first
    /// to a new blob the row will name. An insert when the grain holds no ETag, else a replace on that ETag.</summary>
    public async Task<(StateOperation Operation, string? NewBlob)> PrepareWriteAsync(string rowKey, ETag? ifMatch, byte[] data)
    {
        var partitionKey = StateKey.PartitionKey(StateKey.Partition(rowKey, Partitions));
        var kind = ifMatch is null ? StateOperationKind.Insert : StateOperationKind.Replace;
        if (data.Length <= InlineLimitBytes)
        {
            return (new StateOperation(kind, StateRow.Inline(partitionKey, rowKey, data), ifMatch ?? default, StateRow.RequestBytes(rowKey, data.Length)), null);
        }
        var blob = $"{partitionKey}/{StateKey.Hash(rowKey):x16}/{Guid.NewGuid():N}";
        Statistics.BlobWrite();
        await LargeStates.GetBlobClient(blob).UploadAsync(new BinaryData(data));
        return (new StateOperation(kind, StateRow.Pointer(partitionKey, rowKey, blob, data.Length), ifMatch ?? default,
            StateRow.RequestBytes(rowKey, 2 * blob.Length)), blob);
    }

    /// <summary>Deletes a blob no row names any more (replaced, cleared, or written for a refused row). Best effort:
    /// a process that dies first leaves it behind, unreferenced.</summary>
    public async Task DeleteBlobAsync(string? blob, ILogger logger)
    {
        if (blob is null)
        {
            return;
        }
        try
        {
            Statistics.BlobDelete();
            await LargeStates.DeleteBlobIfExistsAsync(blob);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not delete the unreferenced grain-state blob {Blob}", blob);
        }
    }

    /// <summary>
    /// A replace or delete straight on the table, bypassing the partition's owner: only for when the owner cannot be
    /// reached (its silo stopping or gone), e.g. a grain writing its state while the silo shuts down. Safe because
    /// neither changes which rows exist in a way the owner could get wrong: a replace needs the row to exist; after a
    /// delete the owner's key set still holds the key, which costs a point read that finds nothing. An insert would
    /// create a row the owner does not know, so it never comes here.
    /// </summary>
    public async Task<StateResult> ReplaceOrDeleteDirectlyAsync(string rowKey, string eTag, byte[]? data, ILogger logger)
    {
        var (ifMatch, oldBlob) = StateETag.Parse(eTag);
        var partitionKey = StateKey.PartitionKey(StateKey.Partition(rowKey, Partitions));
        string? newBlob = null;
        try
        {
            Statistics.DirectWrite();
            if (data is null)
            {
                await Table.DeleteEntityAsync(partitionKey, rowKey, ifMatch!.Value);
                await DeleteBlobAsync(oldBlob, logger);
                return StateResult.Done(null);
            }
            (var operation, newBlob) = await PrepareWriteAsync(rowKey, ifMatch, data);
            var response = await Table.UpdateEntityAsync(operation.Entity, ifMatch!.Value, TableUpdateMode.Replace);
            await DeleteBlobAsync(oldBlob, logger);
            return StateResult.Done(StateETag.Compose(response.Headers.ETag ?? throw new InvalidOperationException("no ETag"), newBlob));
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            await DeleteBlobAsync(newBlob, logger);
            if (data is null && e.Status == 404)
            {
                return StateResult.Done(null); // already gone
            }
            Statistics.Conflict();
            return StateResult.Refusal($"the row's ETag is no longer the grain's (HTTP {e.Status})");
        }
    }
}
