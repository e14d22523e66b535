namespace ThreatGraph.Silo.Storage;

/// <summary>
/// The single owner of one partition of the grain-state table (key: the partition index). Every read, write and
/// clear of a grain state in that partition goes through it, from every silo: it knows which rows exist, so reading
/// a grain that was never written costs no storage request, and it commits the partition's writes in groups.
/// Conflicts are answered, not thrown: an <see cref="Orleans.Storage.InconsistentStateException"/> escaping a grain
/// call deactivates the grain it escapes from, which must be the grain whose state is stale, not this one.
/// </summary>
[Alias("ThreatGraph.Silo.Storage.IStatePartitionGrain")]
public interface IStatePartitionGrain : IGrainWithIntegerKey
{
    /// <summary>The stored bytes and ETag of a row, or <see cref="StoredState.Absent"/>.</summary>
    [Alias("Read")]
    Task<StoredState> ReadAsync(string rowKey);

    /// <summary>Stores the bytes if the row's ETag is still <paramref name="eTag"/> (null: the row must not exist);
    /// answers once the row is committed.</summary>
    [Alias("Write")]
    Task<StateWriteResult> WriteAsync(string rowKey, string? eTag, StateBytes data);

    /// <summary>Deletes the row if its ETag is still <paramref name="eTag"/> (null: nothing may be stored).</summary>
    [Alias("Clear")]
    Task<StateWriteResult> ClearAsync(string rowKey, string? eTag);
}

/// <summary>A grain state serialized by the grain storage serializer (not copied on local calls).</summary>
[GenerateSerializer, Immutable, Alias("ThreatGraph.Silo.Storage.StateBytes")]
public sealed record StateBytes([property: Id(0)] byte[] Data);

/// <summary>A stored state: bytes and ETag, both null when nothing is stored.</summary>
[GenerateSerializer, Immutable, Alias("ThreatGraph.Silo.Storage.StoredState")]
public sealed record StoredState([property: Id(0)] byte[]? Data, [property: Id(1)] string? ETag)
{
    public static readonly StoredState Absent = new(null, null);
}

/// <summary>The answer to a write or clear: the new ETag (null after a clear), or a refusal saying why.</summary>
[GenerateSerializer, Immutable, Alias("ThreatGraph.Silo.Storage.StateWriteResult")]
public sealed record StateWriteResult([property: Id(0)] bool Refused, [property: Id(1)] string? ETag, [property: Id(2)] string? Reason)
{
    public static StateWriteResult Done(string? eTag) => new(false, eTag, null);

    public static StateWriteResult Refusal(string reason) => new(true, null, reason);
}
