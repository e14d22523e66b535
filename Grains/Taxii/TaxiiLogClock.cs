using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Taxii;

/// <summary>
/// The date_added clock of one log partition and its safe time (README "TAXII 2.1", the watermark). Pure arithmetic on
/// whole microseconds, so that the rule can be tested without grains or clocks.
/// <list type="bullet">
/// <item><b>Floor</b>: every later append here gets a date_added above it. It only grows: each append raises it to the
/// date_added it assigned, and each safe time answered raises it to that answer.</item>
/// <item><b>Durable bound</b>: the largest value storage guarantees a later activation will start above — the last
/// persisted entry and the persisted lease. A safe time is never answered above it, so a promise outlives a crash, a
/// deactivation or a move to a silo whose clock is behind: the next activation's floor starts at the durable bound.</item>
/// <item><b>Lease</b>: each write persists <c>max(floor, now) + </c><see cref="Lease"/>, so the partition can promise
/// safe times up to its clock for that long without writing; a reader that needs more asks for a renewal (one write).
/// A graceful deactivation persists the floor itself, so the next activation does not jump ahead of the clock; after a
/// crash the next date_added may be up to <see cref="Lease"/> ahead of the clock.</item>
/// <item><b>Residue</b>: a partition assigns only microseconds congruent to its index modulo the partition count, so two
/// partitions never assign the same date_added: <c>added_after</c> = the last one served never skips a tie.</item>
/// </list>
/// </summary>
public sealed class TaxiiLogClock
{
    /// <summary>How far ahead of its clock a partition's durable promise reaches after each write.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    /// <summary>How far ahead of its own clock a partition accepts a proposed date_added or a reader's raise.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromSeconds(2);

    static readonly long LeaseMicros = Lease.Ticks / 10;
    static readonly long MaxAheadMicros = MaxAhead.Ticks / 10;

    readonly int _index;
    readonly int _count;
    long _floor;
    long _durable;

    /// <param name="lastEntry">The partition's last persisted entry's date_added (null: none).</param>
    /// <param name="persistedLease">The lease last persisted (default: none).</param>
    public TaxiiLogClock(int index, int count, DateTimeOffset? lastEntry, DateTimeOffset persistedLease)
    {
        (_index, _count) = (index, count);
        _durable = Math.Max(Micros(persistedLease), lastEntry is { } l ? Micros(l) : long.MinValue);
        _floor = _durable;
    }

    public DateTimeOffset Floor => At(_floor);

    /// <summary>The date_added of the next append at <paramref name="now"/>: the clock, or the writer's proposal when it
    /// is within <see cref="MaxAhead"/> of the clock (either way), but always above the floor, in this partition's
    /// residue class. A proposal a little behind the clock is taken so that one ingest's order survives the time its
    /// calls take to reach the partitions; the floor alone makes the watermark hold.</summary>
    public DateTimeOffset Next(DateTimeOffset now, DateTimeOffset? proposed)
    {
        var n = Micros(now);
        var wanted = proposed is { } p ? Math.Clamp(Micros(p), n - MaxAheadMicros, n + MaxAheadMicros) : n;
        var d = RoundUp(Math.Max(wanted, _floor + 1));
        _floor = d;
        return At(d);
    }

    /// <summary>An entry imported with its date_added (migration): the floor follows it.</summary>
    public void Imported(DateTimeOffset dateAdded) => _floor = Math.Max(_floor, Micros(dateAdded));

    /// <summary>The lease to persist with a write made at <paramref name="now"/>.</summary>
    public DateTimeOffset LeaseFor(DateTimeOffset now) => At(Math.Max(_floor, Micros(now)) + LeaseMicros);

    /// <summary>A write persisted this lease and these entries (the last one's date_added).</summary>
    public void Persisted(DateTimeOffset lease, DateTimeOffset? lastEntry) =>
        _durable = Math.Max(_durable, Math.Max(Micros(lease), lastEntry is { } l ? Micros(l) : long.MinValue));

    /// <summary>The lease a graceful deactivation persists: what has been promised (the floor), or the clock when it is
    /// later, rather than the lease ahead of the clock; null when that is what is stored.</summary>
    public DateTimeOffset? LeaseOnDeactivation(DateTimeOffset storedLease, DateTimeOffset now)
    {
        var exact = Math.Max(_floor, Micros(now));
        return exact != Micros(storedLease) ? At(exact) : null;
    }

    /// <summary>
    /// A safe time for a reader at <paramref name="now"/>: no later append here will have a date_added at or below it.
    /// The clock (or <paramref name="raiseTo"/>, when asked and not too far ahead), but never above the durable bound.
    /// Answering raises the floor, so the promise holds for this activation; the durable bound makes it hold for the next.
    /// </summary>
    /// <returns>The safe time, and whether the durable bound held it below what was wanted.</returns>
    public (DateTimeOffset Safe, bool LeaseShort) SafeTime(DateTimeOffset now, DateTimeOffset? raiseTo)
    {
        var n = Micros(now);
        var wanted = raiseTo is { } r ? Math.Max(n, Math.Min(Micros(r), n + MaxAheadMicros)) : n;
        var safe = Math.Min(Math.Max(wanted, _floor), _durable);
        _floor = Math.Max(_floor, safe);
        return (At(safe), wanted > _durable);
    }

    /// <summary>The smallest value at or above <paramref name="micros"/> in this partition's residue class.</summary>
    long RoundUp(long micros)
    {
        var r = (int)(micros % _count);
        return micros + ((_index - r + _count) % _count);
    }

    /// <summary>Whole microseconds since 0001-01-01 UTC (TAXII timestamps carry microseconds).</summary>
    public static long Micros(DateTimeOffset t) => t == default ? long.MinValue / 2 : t.UtcTicks / 10;

    static DateTimeOffset At(long micros) => micros <= long.MinValue / 2 ? default : new DateTimeOffset(micros * 10, TimeSpan.Zero);
}
