namespace ThreatGraph.GraphApi.Ingest;

/// <summary>
/// A whole ingest request refused before anything is written: too many objects (413), over the organisation's write
/// quota (429, with the time after which it would fit), or larger than the whole quota (413) — or cut short because
/// the storage did not keep up (503 <see cref="Timeout"/>, Retry-After: the calls answered before were written, the
/// rest was not; ingest is idempotent, so the caller sends the same request again). Each path answers it in its own
/// form: REST <c>{"error": {code, message}}</c>, a TAXII error message, a GraphQL error with <c>code</c>.
/// </summary>
public sealed class IngestRefusedException(int status, string code, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public const string TooManyObjects = "TOO_MANY_OBJECTS";
    public const string QuotaExceeded = "WRITE_QUOTA_EXCEEDED";
    public const string LargerThanQuota = "LARGER_THAN_WRITE_QUOTA";
    public const string Timeout = "INGEST_TIMEOUT";

    public int Status { get; } = status;
    public string Code { get; } = code;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Whole seconds for a Retry-After header (at least 1).</summary>
    public int? RetryAfterSeconds => RetryAfter is { } r ? Math.Max(1, (int)Math.Ceiling(r.TotalSeconds)) : null;
}
