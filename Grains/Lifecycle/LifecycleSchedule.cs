using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Lifecycle;

/// <summary>Which schedule bucket an indicator's due time goes to: the bucket of <c>Lifecycle:ScheduleBucketMinutes</c>
/// that holds it, partitioned by the id's FNV-1a hash (<c>Lifecycle:SchedulePartitions</c>).</summary>
public static class LifecycleSchedule
{
    public static DateTimeOffset BucketStart(DateTimeOffset due, int bucketMinutes)
    {
        var size = TimeSpan.FromMinutes(bucketMinutes).Ticks;
        var utc = due.UtcTicks;
        return new DateTimeOffset(utc - (utc % size), TimeSpan.Zero);
    }

    public static string KeyOf(string indicatorId, DateTimeOffset due, LifecycleOptions options) =>
        $"{BucketStart(due, options.ScheduleBucketMinutes):yyyyMMddHHmm}/{IndexPartitioning.PartitionOf(indicatorId, options.SchedulePartitions)}";

    public static DateTimeOffset StartOf(string key) =>
        DateTimeOffset.ParseExact(key[..12], "yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);
}
