using ThreatGraph.Silo.Hosting;
using S = ThreatGraph.Silo.Hosting.IdleMemoryTrimmer.State;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>When the silo gives memory back: only after a quiet interval, once per quiet period, and only when there is
/// something worth giving back.</summary>
public sealed class IdleMemoryTrimmerTests
{
    const long MB = 1L << 20;

    [Fact]
    public void A_quiet_silo_holding_garbage_trims_once_and_not_again_until_it_was_busy()
    {
        var quiet = new S(Allocated: 10_000 * MB, LiveAfterTrim: 0, Trimmed: false);
        Assert.True(IdleMemoryTrimmer.ShouldTrim(quiet, 10_000 * MB + 10 * MB, 4_000 * MB));
        Assert.False(IdleMemoryTrimmer.ShouldTrim(quiet with { Trimmed = true }, 10_000 * MB + 10 * MB, 4_000 * MB));
    }

    [Fact]
    public void A_busy_silo_a_small_heap_or_a_heap_near_its_live_size_is_left_alone()
    {
        var state = new S(Allocated: 10_000 * MB, LiveAfterTrim: 1_000 * MB, Trimmed: false);
        Assert.False(IdleMemoryTrimmer.ShouldTrim(state, 10_000 * MB + IdleMemoryTrimmer.QuietBytes, 4_000 * MB)); // busy
        Assert.False(IdleMemoryTrimmer.ShouldTrim(state with { LiveAfterTrim = 0 }, 10_000 * MB, 200 * MB)); // small
        Assert.False(IdleMemoryTrimmer.ShouldTrim(state, 10_000 * MB, 1_400 * MB)); // under 1.5 × live
        Assert.True(IdleMemoryTrimmer.ShouldTrim(state, 10_000 * MB, 1_600 * MB));
    }
}
