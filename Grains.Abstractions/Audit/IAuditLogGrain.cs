using System.Globalization;
using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Audit;

/// <summary>One audited operation: who (organisation, member, key), what, which objects, and how it ended.</summary>
[GenerateSerializer, Immutable, Alias("tg.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Org,
    [property: Id(2)] string Member,
    [property: Id(3)] string KeyId,
    [property: Id(4)] string Operation,
    [property: Id(5)] bool IsWrite,
    [property: Id(6)] IReadOnlyList<string> Objects,
    [property: Id(7)] string Outcome);

/// <summary>
/// The audit records of one UTC hour and one organisation (key <see cref="KeyOf"/>), in the grain storage like
/// everything else: append-only, in sealed segments (<see cref="IAuditLogSegmentGrain"/>, written once) plus a small
/// tail, so a batch costs one write of the tail, never a rewrite of the hour. An auditor reads its own organisation's
/// grains only (and the platform's, for the federation pulls made for it). Builds before this one kept one grain per
/// hour for every organisation (key <see cref="LegacyKeyOf"/>); those are still read.
/// </summary>
[Alias("tg.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    [Alias("Append")]
    Task AppendAsync(IReadOnlyList<AuditRecord> records);

    /// <summary>Every record, in the order appended (sealed segments, then the tail).</summary>
    [ReadOnly, Alias("Read")]
    Task<IReadOnlyList<AuditRecord>> ReadAsync();

    /// <summary><c>yyyyMMddHH/{organisation}</c>, the organisation escaped (RFC 3986) and the anonymous one as
    /// <c>(anonymous)</c>, which no escaped id can be.</summary>
    public static string KeyOf(DateTimeOffset at, string org) =>
        LegacyKeyOf(at) + "/" + (org.Length == 0 ? "(anonymous)" : Uri.EscapeDataString(org));

    /// <summary>The one grain per hour of builds before this one.</summary>
    public static string LegacyKeyOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}

/// <summary>A sealed, full segment of one audit log grain (key <c>{log key}/{n}</c>): written once, then only read.</summary>
[Alias("tg.IAuditLogSegmentGrain")]
public interface IAuditLogSegmentGrain : IGrainWithStringKey
{
    [Alias("Seal")]
    Task SealAsync(IReadOnlyList<AuditRecord> records);

    [ReadOnly, Alias("Get")]
    Task<IReadOnlyList<AuditRecord>> GetAsync();

    public static string KeyOf(string logKey, int segment) => $"{logKey}/{segment.ToString(CultureInfo.InvariantCulture)}";
}
