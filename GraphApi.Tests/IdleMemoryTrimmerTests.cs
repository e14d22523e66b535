using System.Globalization;
using ThreatGraph.Silo.Hosting;
using S = ThreatGraph.Silo.Hosting.IdleMemoryTrimmer.State;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>When the silo gives memory back: only after a quiet interval, at most twice per quiet period (at once, and
/// again once idle grains were deactivated), and only when there is something worth giving back.</summary>
public sealed class IdleMemoryTrimmerTests
{
    const long MB = 1L << 20;
    static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-29T12:00:00Z", CultureInfo.InvariantCulture);
    static readonly TimeSpan Second = TimeSpan.FromMinutes(6);

    [Fact]
    public void A_quiet_silo_trims_at_once_again_after_idle_collection_and_then_not_until_it_was_busy()
    {
        var quiet = new S(Allocated: 10_000 * MB, LiveAfterTrim: 0, Trims: 0, LastTrim: DateTimeOffset.MinValue, QuietTicks: 2);
        Assert.True(IdleMemoryTrimmer.ShouldTrim(quiet, 10_005 * MB, 4_000 * MB, T0, Second));
        Assert.False(IdleMemoryTrimmer.ShouldTrim(quiet with { QuietTicks = 1 }, 10_005 * MB, 4_000 * MB, T0, Second)); // two quiet intervals are not enough

        var once = new S(10_005 * MB, 2_000 * MB, Trims: 1, LastTrim: T0, QuietTicks: 2);
        Assert.False(IdleMemoryTrimmer.ShouldTrim(once, 10_010 * MB, 2_100 * MB, T0 + TimeSpan.FromMinutes(3), Second));
        Assert.True(IdleMemoryTrimmer.ShouldTrim(once, 10_010 * MB, 2_100 * MB, T0 + Second, Second));

        var twice = new S(10_010 * MB, 1_000 * MB, Trims: 2, LastTrim: T0 + Second, QuietTicks: 2);
        Assert.False(IdleMemoryTrimmer.ShouldTrim(twice, 10_015 * MB, 4_000 * MB, T0 + TimeSpan.FromHours(1), Second));
    }

    [Fact]
    public void A_busy_silo_a_small_heap_or_a_heap_near_its_live_size_is_left_alone()
    {
        var state = new S(Allocated: 10_000 * MB, LiveAfterTrim: 1_000 * MB, Trims: 0, LastTrim: DateTimeOffset.MinValue, QuietTicks: 2);
        Assert.False(IdleMemoryTrimmer.ShouldTrim(state, 10_000 * MB + IdleMemoryTrimmer.QuietBytes, 4_000 * MB, T0, Second)); // busy
        Assert.False(IdleMemoryTrimmer.ShouldTrim(state with { LiveAfterTrim = 0 }, 10_000 * MB, 200 * MB, T0, Second)); // small
        Assert.False(IdleMemoryTrimmer.ShouldTrim(state, 10_000 * MB, 1_400 * MB, T0, Second)); // under 1.5 × live
        Assert.True(IdleMemoryTrimmer.ShouldTrim(state, 10_000 * MB, 1_600 * MB, T0, Second));
    }

    [Fact]
    public void The_burst_of_idle_deactivations_after_the_first_trim_delays_the_second_but_does_not_cancel_it()
    {
        // The first trim ran while the load's grains were still active (1,680 MB live); then Orleans deactivated them.
        var once = new S(Allocated: 10_000 * MB, LiveAfterTrim: 1_680 * MB, Trims: 1, LastTrim: T0, QuietTicks: 0);
        var state = IdleMemoryTrimmer.AfterTick(once, 10_000 * MB + IdleMemoryTrimmer.QuietBytes); // the deactivations
        Assert.Equal((1, 0), (state.Trims, state.QuietTicks));
        for (var i = 0; i < IdleMemoryTrimmer.QuietIntervals - 1; i++)
        {
            state = IdleMemoryTrimmer.AfterTick(state, state.Allocated + 5 * MB);
        }
        // 2,000 MB committed is under 1.5 × 1,680 MB: only the pending second trim gives the garbage back.
        Assert.True(IdleMemoryTrimmer.ShouldTrim(state, state.Allocated + 5 * MB, 2_000 * MB, T0 + Second, Second));

        // Once both are done, a busy interval starts a new quiet period.
        var twice = state with { Trims = 2, LiveAfterTrim = 700 * MB };
        Assert.Equal(0, IdleMemoryTrimmer.AfterTick(twice, twice.Allocated + IdleMemoryTrimmer.QuietBytes).Trims);
        Assert.Equal(2, IdleMemoryTrimmer.AfterTick(twice, twice.Allocated + 5 * MB).Trims);
    }
}
