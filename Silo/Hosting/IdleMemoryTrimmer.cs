using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ThreatGraph.Silo.Hosting;

/// <summary>
/// Gives memory back once the silo goes quiet. After a bulk load the collector stops running (nothing allocates), so
/// the heap keeps the load's garbage and the process keeps gigabytes it no longer uses, even after Orleans has
/// deactivated the idle grains. When almost nothing was allocated for a whole interval and the heap is well above what
/// was live after the last trim, one aggressive collection compacts and decommits; it is not repeated until the silo
/// has been busy again. (Orleans:TrimMemoryWhenIdle; a blocking collection of ~1 GB takes about a second, which is why
/// it waits for a quiet interval.)
/// </summary>
public sealed class IdleMemoryTrimmer(IOptions<ThreatGraphSiloOptions> options, ILogger<IdleMemoryTrimmer> logger, TimeProvider clock)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Allocation below this in one interval counts as quiet (a few reads per second allocate less).</summary>
    public const long QuietBytes = 64L << 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.TrimMemoryWhenIdle)
        {
            return;
        }
        var state = new State(GC.GetTotalAllocatedBytes(), 0, Trimmed: false);
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            if (ShouldTrim(state, allocated, committed))
            {
                var before = committed;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                var info = GC.GetGCMemoryInfo();
                logger.LogInformation("idle: trimmed the heap from {Before} MB to {After} MB committed ({Live} MB live)",
                    before >> 20, info.TotalCommittedBytes >> 20, info.HeapSizeBytes >> 20);
                state = new State(GC.GetTotalAllocatedBytes(), info.HeapSizeBytes, Trimmed: true);
            }
            else
            {
                state = state with { Allocated = allocated, Trimmed = state.Trimmed && allocated - state.Allocated < QuietBytes };
            }
        }
    }

    /// <param name="Allocated">Total bytes allocated at the last tick.</param>
    /// <param name="LiveAfterTrim">Heap size right after the last trim (0 before the first).</param>
    /// <param name="Trimmed">Trimmed already in this quiet period.</param>
    public readonly record struct State(long Allocated, long LiveAfterTrim, bool Trimmed);

    /// <summary>Quiet for a whole interval, not trimmed since the silo was last busy, and the committed heap at least
    /// 256 MB and half again above what was live after the last trim.</summary>
    public static bool ShouldTrim(State state, long allocatedNow, long committedNow) =>
        !state.Trimmed
        && allocatedNow - state.Allocated < QuietBytes
        && committedNow >= 256L << 20
        && committedNow > state.LiveAfterTrim * 3 / 2;
}
