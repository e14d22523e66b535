using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// Grain storage on one Azure table with group commit (azure mode, <c>StorageNames.Graph</c>). Per grain it behaves
/// like Orleans' own providers: a read gives the state and its ETag; a write or clear succeeds only if the stored ETag
/// is still the grain's, and returns only once the state is durably stored; a stale ETag throws
/// <see cref="InconsistentStateException"/> for that grain alone. Underneath, the state (serialized by the configured
/// <see cref="IGrainStorageSerializer"/>) is a row in partition hash(state name, grain id) mod
/// <see cref="StateTable.Partitions"/>; each partition's owner (<see cref="StatePartitionGrain"/>) commits the writes
/// of many grains in one entity group transaction, and this silo sends it requests in batches
/// (<see cref="PartitionChannel"/>, one for reads and one for writes per partition). When the owner cannot be reached (its silo is stopping, as every silo is while
/// the cluster shuts down and grains write their last state), a replace or clear goes straight to the table
/// (<see cref="StateTable.ReplaceOrDeleteDirectlyAsync"/>); a first write (an insert) does not.
/// </summary>
public sealed class GroupCommitGrainStorage(StateTable table, IGrainFactory grains, IGrainStorageSerializer serializer,
    IGrainContextAccessor grainContext, ILogger<GroupCommitGrainStorage> logger)
    : IGrainStorage
{
    // Reads and writes travel apart: a read the owner answers from its key set must not wait for a transaction.
    readonly PartitionChannel[] _reads = Channels(table, grains);
    readonly PartitionChannel[] _writes = Channels(table, grains);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var rowKey = StateKey.RowKey(stateName, grainId);
        var stored = Check(await SendAsync(new StateRequest(StateRequestKind.Read, rowKey, null, null)), "reading", stateName, grainId, null);
        if (stored.Data is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = serializer.Deserialize<T>(new BinaryData(stored.Data));
        grainState.ETag = stored.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var rowKey = StateKey.RowKey(stateName, grainId);
        var data = serializer.Serialize(grainState.State).ToArray();
        StateResult result;
        try
        {
            try
            {
                result = await SendAsync(new StateRequest(StateRequestKind.Write, rowKey, grainState.ETag, data));
            }
            catch (OrleansMessageRejectionException e) when (grainState.ETag is { } eTag)
            {
                logger.LogWarning("The owner of {Row} is unreachable ({Reason}): replacing it directly", rowKey, e.Message);
                result = await table.ReplaceOrDeleteDirectlyAsync(rowKey, eTag, data, logger);
            }
            grainState.ETag = Check(result, "writing", stateName, grainId, grainState.ETag).ETag;
        }
        catch (Exception e) when (e is not InconsistentStateException)
        {
            ForgetUnstoredState(grainId, e);
            throw;
        }
        grainState.RecordExists = true;
    }

    /// <summary>
    /// A write that failed (timeout, owner's silo killed, storage error) may or may not be stored, but the grain's
    /// memory already holds the change. Left active, the grain would answer from that memory — an ingest re-sent
    /// after the failure would find its version there and answer "unchanged" without writing it, and the object would
    /// be gone after the next restart. So the activation goes, and the next call reads what storage really holds.
    /// (A conflict is the grain's to handle: it re-reads.)
    /// </summary>
    void ForgetUnstoredState(GrainId grainId, Exception e)
    {
        if (grainContext.GrainContext is { } context && context.GrainId == grainId)
        {
            logger.LogWarning("Writing the state of {Grain} failed ({Error}): deactivating it so that it reloads from storage", grainId, e.Message);
            context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "a state write failed: memory may be ahead of storage"));
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var rowKey = StateKey.RowKey(stateName, grainId);
        StateResult result;
        try
        {
            result = await SendAsync(new StateRequest(StateRequestKind.Clear, rowKey, grainState.ETag, null));
        }
        catch (OrleansMessageRejectionException e) when (grainState.ETag is { } eTag)
        {
            logger.LogWarning("The owner of {Row} is unreachable ({Reason}): deleting it directly", rowKey, e.Message);
            result = await table.ReplaceOrDeleteDirectlyAsync(rowKey, eTag, null, logger);
        }
        Check(result, "clearing", stateName, grainId, grainState.ETag);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    Task<StateResult> SendAsync(StateRequest request) =>
        (request.Kind == StateRequestKind.Read ? _reads : _writes)[StateKey.Partition(request.RowKey, table.Partitions)].SendAsync(request);

    static PartitionChannel[] Channels(StateTable table, IGrainFactory grains) =>
        [.. Enumerable.Range(0, table.Partitions).Select(p => new PartitionChannel(grains.GetGrain<IStatePartitionGrain>(p)))];

    static StateResult Check(StateResult result, string what, string stateName, GrainId grainId, string? eTag)
    {
        if (result.Error is { } error)
        {
            throw new InvalidOperationException($"{what} {stateName} of {grainId}: {error}");
        }
        if (result.Refused)
        {
            throw new InconsistentStateException($"ETag conflict {what} {stateName} of {grainId}: {result.Reason}", "(changed by another writer)", eTag ?? "(none)");
        }
        return result;
    }
}
