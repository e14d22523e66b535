using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Lifecycle;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Lifecycle;

/// <summary>Persisted state of a schedule bucket: indicator id → when it is due.</summary>
[GenerateSerializer, Alias("tg.LifecycleScheduleState")]
public sealed class LifecycleScheduleState
{
    [Id(0)] public Dictionary<string, DateTimeOffset> Due { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One bucket of the expiry schedule (<see cref="ILifecycleScheduleGrain"/>), driven by one Orleans reminder.</summary>
public sealed class LifecycleScheduleGrain(
    [PersistentState("lifecycle", StorageNames.Graph)] IPersistentState<LifecycleScheduleState> state,
    LifecycleClock clock, IOptions<LifecycleOptions> options, ILogger<LifecycleScheduleGrain> logger) : Grain, ILifecycleScheduleGrain, IRemindable
{
    public const string ReminderName = "due";
    const int ChecksInFlight = 32;

    public async Task AddAsync(IReadOnlyDictionary<string, DateTimeOffset> due)
    {
        var changed = false;
        foreach (var (id, at) in due)
        {
            changed |= !state.State.Due.TryGetValue(id, out var old) || old != at;
            state.State.Due[id] = at;
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
        // Fires at the bucket's start (at once if that is past), then every bucket length while entries remain.
        // Registered once per activation at most: a reminder is a storage row, not to be rewritten per ingest.
        _reminder ??= await this.GetReminder(ReminderName);
        if (_reminder is null)
        {
            var wait = LifecycleSchedule.StartOf(this.GetPrimaryKeyString()) - clock.Time.GetUtcNow();
            var period = TimeSpan.FromMinutes(Math.Max(1, options.Value.ScheduleBucketMinutes));
            _reminder = await this.RegisterOrUpdateReminder(ReminderName, wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1), period);
        }
    }

    IGrainReminder? _reminder;

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> EntriesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(new Dictionary<string, DateTimeOffset>(state.State.Due, StringComparer.Ordinal));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        CallerContext.Set(CallerIdentity.System); // the schedule acts for the platform, not for a reader
        var now = clock.Time.GetUtcNow();
        var due = state.State.Due.Where(d => d.Value <= now).Select(d => d.Key).ToList();
        var unlink = new List<string>();
        var later = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var chunk in due.Chunk(ChecksInFlight))
        {
            var steps = await Task.WhenAll(chunk.Select(id => GrainFactory.Reference<IIndicatorGrain>(id).CheckAsync()));
            for (var i = 0; i < chunk.Length; i++)
            {
                if (steps[i].Unlink)
                {
                    unlink.Add(chunk[i]);
                }
                else if (steps[i].Due is { } next)
                {
                    later[chunk[i]] = next; // revived meanwhile: its new bucket takes it
                }
            }
        }
        if (unlink.Count > 0)
        {
            await GrainFactory.GetGrain<ICorrelationGrain>(0).ApplyAsync(new CorrelationBatch([], new Dictionary<string, string>(), unlink));
        }
        if (later.Count > 0)
        {
            await GrainFactory.GetGrain<ILifecycleGrain>(0).ScheduleAsync(later);
        }
        foreach (var id in due)
        {
            state.State.Due.Remove(id);
        }
        if (due.Count > 0)
        {
            await state.WriteStateAsync();
            logger.LogInformation("lifecycle bucket {Bucket}: {Unlinked} indicators stopped counting, {Moved} revived and moved on",
                this.GetPrimaryKeyString(), unlink.Count, later.Count);
        }
        if (state.State.Due.Count == 0 && await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            _reminder = null;
        }
    }
}
