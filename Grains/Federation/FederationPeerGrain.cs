using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Federation;

namespace ThreatGraph.Grains.Federation;

[GenerateSerializer, Alias("tg.FederationPeerState")]
public sealed class FederationPeerState
{
    [Id(0)] public DateTimeOffset? Checkpoint { get; set; }
    [Id(1)] public DateTimeOffset? LastSync { get; set; }
    [Id(2)] public double? LagSeconds { get; set; }
    [Id(3)] public bool CaughtUp { get; set; }
    [Id(4)] public long Applied { get; set; }
    [Id(5)] public long Unchanged { get; set; }
    [Id(6)] public long Refused { get; set; }
    [Id(7)] public long Errors { get; set; }
    [Id(8)] public int ConsecutiveErrors { get; set; }
    [Id(9)] public string? LastError { get; set; }
    [Id(10)] public DateTimeOffset? LastErrorAt { get; set; }
    [Id(11)] public DateTimeOffset? RetryAt { get; set; }
}

/// <summary>See <see cref="IFederationPeerGrain"/>. Every record is persisted before it returns.</summary>
public sealed class FederationPeerGrain(
    [PersistentState("federation", StorageNames.Graph)] IPersistentState<FederationPeerState> state) : Grain, IFederationPeerGrain
{
    /// <summary>Longest error message kept (a peer's error body can be large).</summary>
    const int MaxErrorLength = 500;

    TimeProvider Clock => ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;

    FederationLease? _lease;

    public Task<bool> TryLeaseAsync(string holder, TimeSpan ttl) => Task.FromResult((_lease ??= new FederationLease(Clock)).TryTake(holder, ttl));

    public Task<FederationPeerStatus> GetStatusAsync()
    {
        var s = state.State;
        return Task.FromResult(new FederationPeerStatus(this.GetPrimaryKeyString(), s.Checkpoint, s.LastSync, s.LagSeconds, s.CaughtUp,
            s.Applied, s.Unchanged, s.Refused, s.Errors, s.ConsecutiveErrors, s.LastError, s.LastErrorAt, s.ConsecutiveErrors > 0 ? s.RetryAt : null));
    }

    public Task RecordPageAsync(FederationPageResult page)
    {
        var s = state.State;
        // A page is never older than the checkpoint (the pull asked for what came after it); keep the later one anyway.
        if (s.Checkpoint is null || page.Checkpoint > s.Checkpoint)
        {
            s.Checkpoint = page.Checkpoint;
        }
        s.Applied += page.Applied;
        s.Unchanged += page.Unchanged;
        s.Refused += page.Refused;
        s.LagSeconds = page.LagSeconds;
        s.CaughtUp = page.CaughtUp;
        s.LastSync = Clock.GetUtcNow();
        s.ConsecutiveErrors = 0;
        if (page.Problem is not null)
        {
            s.LastError = Truncate(page.Problem);
            s.LastErrorAt = s.LastSync;
        }
        return state.WriteStateAsync();
    }

    public Task RecordCaughtUpAsync()
    {
        var s = state.State;
        s.CaughtUp = true;
        s.LastSync = Clock.GetUtcNow();
        s.ConsecutiveErrors = 0;
        return state.WriteStateAsync();
    }

    public Task RecordErrorAsync(string message, DateTimeOffset? retryAt = null)
    {
        var s = state.State;
        s.Errors++;
        s.ConsecutiveErrors++;
        s.LastError = Truncate(message);
        s.LastErrorAt = Clock.GetUtcNow();
        s.RetryAt = retryAt;
        return state.WriteStateAsync();
    }

    static string Truncate(string s) => s.Length <= MaxErrorLength ? s : s[..MaxErrorLength] + "…";
}
