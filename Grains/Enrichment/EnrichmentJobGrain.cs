using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.Grains.Enrichment;

/// <summary>One job's durable record (see <see cref="IEnrichmentJobGrain"/>). The host's writes (registration, progress)
/// need the job's identity; the gateway decides who may read, request and reject (GraphApi's EnrichmentAccess).</summary>
public sealed class EnrichmentJobGrain(
    [PersistentState("enrichmentjob", StorageNames.Graph)] IPersistentState<EnrichmentJobState> state) : Grain, IEnrichmentJobGrain
{
    /// <summary>Bounds the on-demand queue: a request beyond it is refused rather than growing the state without end.</summary>
    public const int MaxPending = 10_000;

    EnrichmentJobState State => state.State;

    public async Task RegisterAsync(EnrichmentJobRegistration registration)
    {
        var caller = CallerContext.Current;
        if (!caller.HasRole(EnrichmentJobs.Role) || caller.Org != registration.Org || caller.Member != registration.Member)
        {
            throw new UnauthorizedAccessException($"{caller.Member} may not register a job as {registration.Member}: a job registers as itself, with the '{EnrichmentJobs.Role}' role");
        }
        if (State.Registration is { } held && held.Org != registration.Org)
        {
            throw new UnauthorizedAccessException($"the job '{registration.Name}' belongs to {held.Org}");
        }
        if (State.Registration != registration)
        {
            State.Registration = registration;
            await state.WriteStateAsync();
        }
        await GrainFactory.GetGrain<IEnrichmentJobRegistryGrain>(EnrichmentJobs.RegistryKey).AddAsync(registration.Name);
    }

    public Task<EnrichmentJobStatus?> GetStatusAsync() => Task.FromResult(State.Registration is not { } r ? null
        : new EnrichmentJobStatus(r.Name, State.LastRun, State.Processed, State.Failed, State.FeedLag + State.Pending.Count,
            r.ObjectTypes, r.Org, r.Member, State.LastError));

    public Task<EnrichmentCheckpoint> GetCheckpointAsync() => Task.FromResult(State.Checkpoint);

    public async Task RecordAsync(EnrichmentProgress progress)
    {
        var caller = CallerContext.Current;
        if (State.Registration is not { } r || caller.Member != r.Member || !caller.HasRole(EnrichmentJobs.Role))
        {
            throw new UnauthorizedAccessException($"only the job's own identity records its progress, not {caller.Member}");
        }
        State.LastRun = progress.At;
        State.Processed += progress.Processed;
        State.Failed += progress.Failed;
        State.FeedLag = progress.Lag ?? State.FeedLag;
        State.Checkpoint = progress.Checkpoint ?? State.Checkpoint;
        State.LastError = progress.LastError ?? State.LastError;
        if (progress.CompletedRequests.Count > 0)
        {
            var done = progress.CompletedRequests.ToHashSet(StringComparer.Ordinal);
            State.Pending.RemoveAll(done.Contains);
        }
        await state.WriteStateAsync();
    }

    public async Task<int> RequestAsync(IReadOnlyList<string> ids)
    {
        var fresh = ids.Distinct(StringComparer.Ordinal).Where(id => !State.Pending.Contains(id)).ToList();
        if (State.Pending.Count + fresh.Count > MaxPending)
        {
            throw new InvalidOperationException($"the job already has {State.Pending.Count} requests waiting (at most {MaxPending})");
        }
        if (fresh.Count > 0)
        {
            State.Pending.AddRange(fresh);
            await state.WriteStateAsync();
        }
        return State.Pending.Count;
    }

    public Task<IReadOnlyList<string>> PendingRequestsAsync(int max) =>
        Task.FromResult<IReadOnlyList<string>>([.. State.Pending.Take(max)]);

    public async Task RejectAsync(string derivedId)
    {
        if (!State.Rejected.Contains(derivedId))
        {
            State.Rejected.Add(derivedId);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> GetRejectedAsync() => Task.FromResult<IReadOnlyList<string>>([.. State.Rejected]);
}
