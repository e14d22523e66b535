using ThreatGraph.Contracts.Audit;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Audit;

/// <summary>
/// Reads an auditor's records between two instants: for each hour, the grain of its organisation, the platform's when
/// federation pulls for it (<see cref="AuditScope.ReadsPlatformRecords"/>), and the one grain per hour of builds before
/// the log was split by organisation. Another organisation's grains are never read. Hours are read newest first until
/// <c>first</c> records are found; the answer is the newest <c>first</c>, oldest first, ordered by time.
/// </summary>
public static class AuditLogReader
{
    public static async Task<IReadOnlyList<AuditRecord>> ReadAsync(IGrainFactory grains, AuditScope scope, DateTimeOffset from, DateTimeOffset to, int first)
    {
        var found = new List<AuditRecord>();
        var hour = new DateTimeOffset(to.Year, to.Month, to.Day, to.Hour, 0, 0, TimeSpan.Zero);
        for (; hour >= new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, 0, 0, TimeSpan.Zero) && found.Count < first; hour = hour.AddHours(-1))
        {
            var keys = new List<string> { IAuditLogGrain.KeyOf(hour, scope.Org), IAuditLogGrain.LegacyKeyOf(hour) };
            if (scope.ReadsPlatformRecords)
            {
                keys.Add(IAuditLogGrain.KeyOf(hour, CallerIdentity.SystemOrg));
            }
            var parts = await Task.WhenAll(keys.Select(k => grains.GetGrain<IAuditLogGrain>(k).ReadAsync()));
            var inHour = scope.Apply(parts.SelectMany(p => p).Where(r => r.At >= from && r.At <= to)).OrderBy(r => r.At).ToList();
            found.InsertRange(0, inHour);
        }
        return found.Count > first ? found[^first..] : found;
    }
}
