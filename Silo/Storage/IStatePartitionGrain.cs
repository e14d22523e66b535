namespace ThreatGraph.Silo.Storage;

/// <summary>
/// The single owner of one partition of the grain-state table (key: the partition index). Every read, write and
/// clear of a grain state in that partition goes through it, from every silo: it knows which rows exist, so reading
/// a grain that was never written costs no storage request, and it commits the partition's writes in groups. Each
/// silo sends it its grains' requests in batches (<see cref="PartitionChannel"/>), one call carrying many.
/// Conflicts and failures are answered per request, not thrown: an
/// <see cref="Orleans.Storage.InconsistentStateException"/> escaping a grain call deactivates the grain it escapes
/// from, which must be the grain whose state is stale, not this one.
/// </summary>
[Alias("ThreatGraph.Silo.Storage.IStatePartitionGrain")]
public interface IStatePartitionGrain : IGrainWithIntegerKey
{
    /// <summary>Runs the requests (their writes and clears go into the partition's group commit together); answers
    /// once every one of them is done: one result per request, in order.</summary>
    [Alias("Execute")]
    Task<StateResult[]> ExecuteAsync(StateRequest[] requests);
}

public enum StateRequestKind
{
    /// <summary>The stored bytes and ETag of the row, or nothing.</summary>
    Read,

    /// <summary>Store the bytes if the row's ETag is still <see cref="StateRequest.ETag"/> (null: the row must not exist).</summary>
    Write,

    /// <summary>Delete the row if its ETag is still <see cref="StateRequest.ETag"/> (null: nothing may be stored).</summary>
    Clear,
}

/// <summary>One grain's read, write or clear of its state (the row key names both); <see cref="Data"/>: the state
/// serialized by the grain storage serializer, for a write.</summary>
[GenerateSerializer, Immutable, Alias("ThreatGraph.Silo.Storage.StateRequest")]
public sealed record StateRequest(
    [property: Id(0)] StateRequestKind Kind,
    [property: Id(1)] string RowKey,
    [property: Id(2)] string? ETag,
    [property: Id(3)] byte[]? Data)
{
    /// <summary>What the request weighs in a call (to keep calls of large states apart).</summary>
    public int Bytes => 64 + 2 * RowKey.Length + (Data?.Length ?? 0);
}

/// <summary>The answer to one request. Read: <see cref="Data"/> and <see cref="ETag"/> (both null: nothing stored).
/// Write: the new ETag. Clear: no ETag. <see cref="Refused"/>: the ETag precondition failed, <see cref="Reason"/> says
/// how. <see cref="Error"/>: the storage failed for this request.</summary>
[GenerateSerializer, Immutable, Alias("ThreatGraph.Silo.Storage.StateResult")]
public sealed record StateResult(
    [property: Id(0)] byte[]? Data,
    [property: Id(1)] string? ETag,
    [property: Id(2)] bool Refused,
    [property: Id(3)] string? Reason,
    [property: Id(4)] string? Error)
{
    public static readonly StateResult Absent = new(null, null, false, null, null);

    public static StateResult Stored(byte[] data, string eTag) => new(data, eTag, false, null, null);

    public static StateResult Done(string? eTag) => new(null, eTag, false, null, null);

    public static StateResult Refusal(string reason) => new(null, null, true, reason, null);

    public static StateResult Failure(string error) => new(null, null, false, null, error);
}
