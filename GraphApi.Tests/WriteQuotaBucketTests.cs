using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ThreatGraph.GraphApi.Ingest;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>The write quota's token buckets on a fake clock: refill, independence of organisations, the wait it
/// announces, and the start-up validation of the "Ingest" settings.</summary>
public sealed class WriteQuotaBucketTests
{
    static (WriteQuota Quota, FakeTimeProvider Clock) Make(long bytesPerMinute = 6000, int objectsPerMinute = 60)
    {
        var clock = new FakeTimeProvider();
        var options = Options.Create(new IngestQuotaOptions { OrgBytesPerMinute = bytesPerMinute, OrgObjectsPerMinute = objectsPerMinute });
        return (new WriteQuota(options, clock), clock);
    }

    [Fact]
    public void A_minute_s_allowance_can_be_spent_at_once_then_refills_continuously()
    {
        var (quota, clock) = Make();
        quota.Take("a", 100, 60);
        var refused = Assert.Throws<IngestRefusedException>(() => quota.Take("a", 100, 1));
        Assert.Equal(429, refused.Status);
        Assert.Equal(1, refused.RetryAfterSeconds); // one object per second

        clock.Advance(TimeSpan.FromSeconds(1));
        quota.Take("a", 100, 1);
        clock.Advance(TimeSpan.FromSeconds(30));
        quota.Take("a", 100, 30);
        Assert.Throws<IngestRefusedException>(() => quota.Take("a", 1, 1));

        clock.Advance(TimeSpan.FromHours(1)); // never more than one minute's worth
        quota.Take("a", 100, 60);
        Assert.Throws<IngestRefusedException>(() => quota.Take("a", 1, 1));
    }

    [Fact]
    public void A_refused_request_takes_nothing_and_the_wait_is_for_the_allowance_that_is_short()
    {
        var (quota, _) = Make();
        quota.Take("a", 5000, 1);
        var bytes = Assert.Throws<IngestRefusedException>(() => quota.Take("a", 3000, 1));
        Assert.Contains("Ingest:OrgBytesPerMinute", bytes.Message);
        Assert.Equal(20, bytes.RetryAfterSeconds); // 2000 bytes short at 100 bytes/s
        quota.Take("a", 1000, 59); // the refused request took no objects
    }

    [Fact]
    public void One_organisation_spending_everything_leaves_the_others_untouched()
    {
        var (quota, _) = Make();
        quota.Take("hostile", 6000, 60);
        Assert.Throws<IngestRefusedException>(() => quota.Take("hostile", 1, 1));
        quota.Take("friendly", 6000, 60);
    }

    [Fact]
    public void A_request_larger_than_a_whole_minute_s_allowance_is_413()
    {
        var (quota, _) = Make();
        Assert.Equal(413, Assert.Throws<IngestRefusedException>(() => quota.Take("a", 6001, 1)).Status);
        Assert.Equal(413, Assert.Throws<IngestRefusedException>(() => quota.Take("a", 1, 61)).Status);
        quota.Take("a", 6000, 60); // and it took nothing
    }

    [Fact]
    public void The_readme_configuration_table_gives_each_ingest_limit_with_its_default_and_the_grain_uses_the_same()
    {
        var readme = File.ReadAllText(Path.Combine(ThreatGraph.TestSupport.RepoRoot.Path, "README.md"));
        var defaults = new IngestQuotaOptions();
        foreach (var (key, value) in new (string, object)[]
        {
            ("MaxObjectBytes", defaults.MaxObjectBytes), ("MaxObjectsPerRequest", defaults.MaxObjectsPerRequest),
            ("OrgBytesPerMinute", defaults.OrgBytesPerMinute), ("OrgObjectsPerMinute", defaults.OrgObjectsPerMinute),
            ("ObjectsPerCall", defaults.ObjectsPerCall), ("BytesPerCall", defaults.BytesPerCall), ("MaxObjectsPerCall", defaults.MaxObjectsPerCall),
            ("CallsInFlight", defaults.CallsInFlight),
        })
        {
            Assert.Contains($"| `Ingest:{key}` | `{value}`", readme, StringComparison.Ordinal);
        }
        var grain = new ThreatGraph.Grains.Ingest.IngestOptions();
        Assert.Equal(defaults.MaxObjectBytes, grain.MaxObjectBytes);
        Assert.Equal(defaults.MaxObjectsPerCall, grain.MaxObjectsPerCall);
    }

    [Theory]
    [InlineData("MaxObjectBytes", 0, "Ingest:MaxObjectBytes must be at least 1024")]
    [InlineData("MaxObjectsPerRequest", 0, "Ingest:MaxObjectsPerRequest must be at least 1")]
    [InlineData("OrgBytesPerMinute", 10, "Ingest:OrgBytesPerMinute must be at least 1024")]
    [InlineData("OrgObjectsPerMinute", -1, "Ingest:OrgObjectsPerMinute must be at least 1")]
    [InlineData("ObjectsPerCall", 5000, "Ingest:ObjectsPerCall must be between 1 and Ingest:MaxObjectsPerCall")]
    public void A_bad_setting_is_named_at_start_up(string setting, int value, string expected)
    {
        var options = new IngestQuotaOptions();
        switch (setting)
        {
            case "MaxObjectBytes": options.MaxObjectBytes = value; break;
            case "MaxObjectsPerRequest": options.MaxObjectsPerRequest = value; break;
            case "OrgBytesPerMinute": options.OrgBytesPerMinute = value; break;
            case "OrgObjectsPerMinute": options.OrgObjectsPerMinute = value; break;
            case "ObjectsPerCall": options.ObjectsPerCall = value; break;
        }
        var result = new IngestQuotaOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new IngestQuotaOptionsValidator().Validate(null, new IngestQuotaOptions()).Succeeded);
    }
}
