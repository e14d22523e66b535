using ThreatGraph.Contracts.Audit;
using ThreatGraph.Grains.AuditLog;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Tests;

/// <summary>The audit log appends without rewriting history: an hour's records of one organisation go to sealed
/// segments plus a small tail, and read back complete and in order after every grain is deactivated.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AuditLogTests(ClusterFixture fixture)
{
    static AuditRecord Record(DateTimeOffset at, int i, int objects = 1) => new(at.AddMilliseconds(i), "jp-nisc", "jp-nisc/analyst1", "jp-analyst",
        $"graphql query Q{i}", i % 3 == 0, [.. Enumerable.Range(0, objects).Select(o => $"indicator--{i:D8}-{o:D4}")], "ok");

    /// <summary>Records compared by value (their object lists included).</summary>
    static IEnumerable<string> Flat(IEnumerable<AuditRecord> records) =>
        records.Select(r => $"{r.At:O}|{r.Org}|{r.Member}|{r.KeyId}|{r.Operation}|{r.IsWrite}|{string.Join(',', r.Objects)}|{r.Outcome}");

    [Fact]
    public async Task Many_records_of_one_hour_read_back_complete_and_in_order_after_deactivating_every_grain()
    {
        var hour = new DateTimeOffset(2031, 5, 6, 7, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(10_000));
        var key = IAuditLogGrain.KeyOf(hour, "jp-nisc");
        var log = fixture.Grains.GetGrain<IAuditLogGrain>(key);
        var records = Enumerable.Range(0, 3 * AuditLogGrain.SegmentRecords + 123).Select(i => Record(hour, i)).ToList();
        foreach (var batch in records.Chunk(37)) // the gateway's batches
        {
            await log.AppendAsync(batch);
        }

        // Sealed once and never rewritten: the first segment holds the first records, the tail only the last ones.
        var first = await fixture.Grains.GetGrain<IAuditLogSegmentGrain>(IAuditLogSegmentGrain.KeyOf(key, 0)).GetAsync();
        Assert.Equal(Flat(records.Take(AuditLogGrain.SegmentRecords)), Flat(first));
        Assert.Empty(await fixture.Grains.GetGrain<IAuditLogSegmentGrain>(IAuditLogSegmentGrain.KeyOf(key, 3)).GetAsync());

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(Flat(records), Flat(await log.ReadAsync()));

        // Appends after reactivation continue where it stopped.
        var more = Enumerable.Range(records.Count, 600).Select(i => Record(hour, i)).ToList();
        await log.AppendAsync(more);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(Flat([.. records, .. more]), Flat(await log.ReadAsync()));
    }

    [Fact]
    public async Task Records_naming_many_objects_are_sealed_by_size_not_only_by_count()
    {
        var hour = new DateTimeOffset(2032, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(Random.Shared.Next(100_000));
        var key = IAuditLogGrain.KeyOf(hour, "jp-nisc");
        var log = fixture.Grains.GetGrain<IAuditLogGrain>(key);
        var records = Enumerable.Range(0, 40).Select(i => Record(hour, i, objects: 1_000)).ToList(); // ~33 KB each
        await log.AppendAsync(records);
        var segment = await fixture.Grains.GetGrain<IAuditLogSegmentGrain>(IAuditLogSegmentGrain.KeyOf(key, 0)).GetAsync();
        Assert.InRange(segment.Count, 1, 10);
        Assert.Equal(Flat(records), Flat(await log.ReadAsync()));
    }

    [Fact]
    public void Keys_separate_organisations_and_hours_and_no_organisation_id_can_pose_as_another()
    {
        var at = new DateTimeOffset(2025, 3, 4, 5, 59, 59, TimeSpan.Zero);
        Assert.Equal("2025030405/jp-nisc", IAuditLogGrain.KeyOf(at, "jp-nisc"));
        Assert.Equal("2025030405/%40system", IAuditLogGrain.KeyOf(at, "@system"));
        Assert.Equal("2025030405/(anonymous)", IAuditLogGrain.KeyOf(at, ""));
        Assert.Equal("2025030405/%28anonymous%29", IAuditLogGrain.KeyOf(at, "(anonymous)"));
        Assert.Equal("2025030405/a%2F0", IAuditLogGrain.KeyOf(at, "a/0")); // never a segment key of org "a"
        Assert.Equal("2025030405", IAuditLogGrain.LegacyKeyOf(at));
    }
}
