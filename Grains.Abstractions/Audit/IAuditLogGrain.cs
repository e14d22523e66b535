using Orleans.Concurrency;

namespace ThreatGraph.Grains.Audit;

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

/// <summary>The audit records of one UTC hour (key <c>yyyyMMddHH</c>), in the grain storage like everything else.</summary>
[Alias("tg.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    [Alias("Append")]
    Task AppendAsync(IReadOnlyList<AuditRecord> records);

    [ReadOnly, Alias("Read")]
    Task<IReadOnlyList<AuditRecord>> ReadAsync();

    public static string KeyOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);
}
