using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ThreatGraph.Silo.Hosting;

/// <summary>
/// Gives memory back once the silo goes quiet. After a bulk load the collector stops running (nothing allocates), so
/// the heap keeps the load's garbage and the process keeps gigabytes it no longer uses. When almost nothing was
/// allocated for a whole interval, one aggressive collection compacts and decommits; a second one follows once
/// Orleans has deactivated the idle grains (Orleans:IdleMinutes later), whose states are garbage by then. Neither is
/// repeated until the silo has been busy again. (Orleans:TrimMemoryWhenIdle; a blocking collection of ~1 GB takes
/// about a second, which is why it waits for a quiet interval.)
/// </summary>
public sealed class IdleMemoryTrimmer(IOptions<ThreatGraphSiloOptions> options, ILogger<IdleMemoryTrimmer> logger, TimeProvider clock)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Allocation below this in one interval counts as quiet. An idle silo still allocates tens of MB per
    /// interval (memory-stream pulling agents poll every 25 ms), so the threshold cannot be much lower; light traffic
    /// can stay under it too, hence the run of quiet intervals below.</summary>
    public const long QuietBytes = 64L << 20;

    /// <summary>Quiet intervals in a row before a trim (90 s): one quiet interval is common between bursts of reads, and
    /// a trim then pauses the next burst (measured: 2-hop p99 52 → 146 ms with a one-interval rule).</summary>
    public const int QuietIntervals = 3;

    /// <summary>No trim below this committed size: there is little to give back.</summary>
    public const long MinimumCommittedBytes = 256L << 20;

    volatile int _trims;

    /// <summary>Trims in the current quiet period (2 when both are done; 0 once the silo is busy after that), for
    /// <c>/health/memory</c>: the benchmark starts its reads once a loaded silo is at rest.</summary>
    public int QuietPeriodTrims => _trims;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.TrimMemoryWhenIdle)
        {
            return;
        }
        // Orleans collects idle activations in one-minute quanta after the collection age.
        var secondTrimAfter = TimeSpan.FromMinutes(options.Value.IdleMinutes + 1);
        var state = new State(GC.GetTotalAllocatedBytes(), 0, 0, DateTimeOffset.MinValue, 0);
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            var now = clock.GetUtcNow();
            if (ShouldTrim(state, allocated, committed, now, secondTrimAfter))
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                var info = GC.GetGCMemoryInfo();
                logger.LogInformation("idle: trimmed the heap from {Before} MB to {After} MB committed ({Live} MB live)",
                    committed >> 20, info.TotalCommittedBytes >> 20, info.HeapSizeBytes >> 20);
                state = new State(GC.GetTotalAllocatedBytes(), info.HeapSizeBytes, state.Trims + 1, now, 0);
            }
            else
            {
                state = AfterTick(state, allocated);
            }
            _trims = state.Trims;
        }
    }

    /// <param name="Allocated">Total bytes allocated at the last tick.</param>
    /// <param name="LiveAfterTrim">Heap size right after the last trim (0 before the first).</param>
    /// <param name="Trims">Trims in this quiet period.</param>
    /// <param name="LastTrim">When the last trim ran.</param>
    /// <param name="QuietTicks">Quiet intervals in a row before the last tick.</param>
    public readonly record struct State(long Allocated, long LiveAfterTrim, int Trims, DateTimeOffset LastTrim, int QuietTicks);

    /// <summary>The state after a tick without a trim. A busy interval restarts the run of quiet intervals; it starts a new
    /// quiet period (trims counted from 0 again) only once both trims are done. Between the two, Orleans deactivating the
    /// load's idle grains is itself a burst of allocation: had it cancelled the pending second trim, the first-trim rule
    /// (half again above what was live after the last trim, measured while those grains were still active) would keep
    /// their garbage committed for good (seen on `small`: 2.0 GB committed at rest instead of 0.75 GB).</summary>
    public static State AfterTick(State state, long allocatedNow)
    {
        var busy = allocatedNow - state.Allocated >= QuietBytes;
        return state with
        {
            Allocated = allocatedNow,
            Trims = busy && state.Trims >= 2 ? 0 : state.Trims,
            QuietTicks = busy ? 0 : state.QuietTicks + 1,
        };
    }

    /// <summary>Quiet for <see cref="QuietIntervals"/> intervals in a row, a committed heap worth trimming, and either the first trim of this quiet period
    /// (when the heap is half again above what was live after the last trim) or the second, once idle grains are gone.</summary>
    public static bool ShouldTrim(State state, long allocatedNow, long committedNow, DateTimeOffset now, TimeSpan secondTrimAfter) =>
        allocatedNow - state.Allocated < QuietBytes
        && state.QuietTicks + 1 >= QuietIntervals
        && committedNow >= MinimumCommittedBytes
        && state.Trims switch
        {
            0 => committedNow > state.LiveAfterTrim * 3 / 2,
            1 => now - state.LastTrim >= secondTrimAfter,
            _ => false,
        };
}
