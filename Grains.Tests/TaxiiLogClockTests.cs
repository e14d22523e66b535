using ThreatGraph.Grains.Taxii;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Tests;

/// <summary>
/// The watermark rule of one TAXII log partition (<see cref="TaxiiLogClock"/>), without grains: whatever a partition
/// answered as its safe time, no entry it persists later — in this activation or the next, after a crash, a graceful
/// deactivation or a move to a silo whose clock is seconds behind or ahead — has a date_added at or below it.
/// </summary>
public sealed class TaxiiLogClockTests
{
    static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>What storage holds for the partition: the lease and the last entry's date_added.</summary>
    sealed class Stored
    {
        public DateTimeOffset Lease;
        public DateTimeOffset? Last;
        public DateTimeOffset Bound => Last is { } l && l > Lease ? l : Lease;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void No_entry_persisted_after_a_safe_time_is_at_or_below_it_across_crashes_moves_and_clock_skew(int seed)
    {
        var random = new Random(seed);
        const int count = 8;
        var index = random.Next(count);
        var stored = new Stored();
        var clock = new TaxiiLogClock(index, count, null, default);
        var skew = TimeSpan.Zero;              // this activation's silo clock minus real time
        var real = T0;
        var promised = DateTimeOffset.MinValue; // the largest safe time ever answered
        var persisted = new List<DateTimeOffset>();
        for (var step = 0; step < 20_000; step++)
        {
            real += TimeSpan.FromTicks(random.Next(0, 500_000)); // up to 50 ms
            var now = real + skew - TimeSpan.FromTicks(random.Next(0, 2)); // and a clock that may step back a tick
            switch (random.Next(100))
            {
                case < 40: // an append of a few entries, persisted with a lease
                {
                    var batch = new List<DateTimeOffset>();
                    for (var k = random.Next(1, 6); k > 0; k--)
                    {
                        DateTimeOffset? proposal = random.Next(3) == 0 ? now + TimeSpan.FromMilliseconds(random.Next(-3000, 3000)) : null;
                        batch.Add(clock.Next(now, proposal));
                    }
                    if (random.Next(20) == 0)
                    {
                        break; // the write failed: nothing of it is stored or was ever served
                    }
                    foreach (var d in batch)
                    {
                        Assert.True(d > promised, $"step {step}: date_added {d:O} at or below the promised safe time {promised:O}");
                        Assert.True(persisted.Count == 0 || d > persisted[^1], $"step {step}: date_added not increasing");
                        Assert.Equal(index, TaxiiLogClock.Micros(d) % count);
                        persisted.Add(d);
                    }
                    stored.Lease = clock.LeaseFor(now);
                    stored.Last = batch[^1];
                    clock.Persisted(stored.Lease, stored.Last);
                    break;
                }
                case < 85: // a read: the safe time, maybe raised by a reader
                {
                    DateTimeOffset? raise = random.Next(2) == 0 ? now + TimeSpan.FromMilliseconds(random.Next(-1000, 4000)) : null;
                    var (safe, _) = clock.SafeTime(now, raise);
                    Assert.True(safe <= stored.Bound, $"step {step}: safe time {safe:O} above what storage guarantees {stored.Bound:O}");
                    if (safe > promised)
                    {
                        promised = safe;
                    }
                    break;
                }
                case < 95: // a renewal
                    stored.Lease = clock.LeaseFor(now + TimeSpan.FromMilliseconds(random.Next(0, 2000)));
                    clock.Persisted(stored.Lease, stored.Last);
                    break;
                case < 97: // a crash: the next activation is on a silo whose clock is up to 5 s off
                    clock = new TaxiiLogClock(index, count, stored.Last, stored.Lease);
                    skew = TimeSpan.FromMilliseconds(random.Next(-5000, 5000));
                    break;
                case < 99: // a graceful deactivation, then the same
                    if (clock.LeaseOnDeactivation(stored.Lease, now) is { } exact)
                    {
                        stored.Lease = exact;
                    }
                    clock = new TaxiiLogClock(index, count, stored.Last, stored.Lease);
                    skew = TimeSpan.FromMilliseconds(random.Next(-5000, 5000));
                    break;
                default: // the clock is stepped back (NTP) by up to a second
                    skew -= TimeSpan.FromMilliseconds(random.Next(0, 1000));
                    break;
            }
        }
        Assert.True(persisted.Count > 5_000);
    }

    [Fact]
    public void Partitions_never_assign_the_same_date_added()
    {
        const int count = 8;
        var clocks = Enumerable.Range(0, count).Select(i => new TaxiiLogClock(i, count, null, default)).ToList();
        var seen = new HashSet<DateTimeOffset>();
        for (var step = 0; step < 1_000; step++)
        {
            var now = T0 + TimeSpan.FromTicks(step * 3); // many appends within one microsecond
            foreach (var clock in clocks)
            {
                Assert.True(seen.Add(clock.Next(now, null)));
            }
        }
    }

    [Fact]
    public void A_graceful_deactivation_keeps_the_next_date_added_at_the_clock_and_a_crash_may_jump_a_lease_ahead()
    {
        var clock = new TaxiiLogClock(0, 1, null, default);
        var first = clock.Next(T0, null);
        var lease = clock.LeaseFor(T0);
        clock.Persisted(lease, first);
        Assert.Equal(T0 + TaxiiLogClock.Lease, lease);

        // Graceful: the stored lease comes down to what was promised (the clock), so the next activation goes on from there.
        var later = T0 + TimeSpan.FromSeconds(1);
        var exact = clock.LeaseOnDeactivation(lease, later)!.Value;
        Assert.Equal(later, exact);
        Assert.Equal(later + TimeSpan.FromSeconds(1), new TaxiiLogClock(0, 1, first, exact).Next(later + TimeSpan.FromSeconds(1), null));

        // A crash: only the lease is known, the next date_added is above it.
        Assert.True(new TaxiiLogClock(0, 1, first, lease).Next(later, null) > lease);
    }

    [Fact]
    public void An_append_after_a_raised_safe_time_is_above_it()
    {
        var clock = new TaxiiLogClock(0, 1, null, default);
        clock.Persisted(clock.LeaseFor(T0), null);
        var (safe, leaseShort) = clock.SafeTime(T0, T0 + TimeSpan.FromSeconds(1));
        Assert.Equal(T0 + TimeSpan.FromSeconds(1), safe);
        Assert.False(leaseShort);
        Assert.True(clock.Next(T0 + TimeSpan.FromMilliseconds(5), null) > safe);
    }

    [Fact]
    public void A_safe_time_is_held_to_the_durable_lease_and_says_so()
    {
        // A new activation starts at the stored lease: everything up to it may have been promised already.
        var clock = new TaxiiLogClock(0, 1, null, T0 + TimeSpan.FromSeconds(1));
        Assert.Equal((T0 + TimeSpan.FromSeconds(1), false), clock.SafeTime(T0, null));
        var (safe, leaseShort) = clock.SafeTime(T0 + TimeSpan.FromSeconds(3), null);
        Assert.Equal(T0 + TimeSpan.FromSeconds(1), safe);
        Assert.True(leaseShort);
        // A raise is granted up to the lease, and no further than MaxAhead beyond the clock.
        clock.Persisted(T0 + TimeSpan.FromMinutes(1), null);
        Assert.Equal(T0 + TaxiiLogClock.MaxAhead, clock.SafeTime(T0, T0 + TimeSpan.FromSeconds(30)).Safe);
    }
}
