namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>
/// Matches what subscribers are told to what the subscription workload waits for: an expectation (campaign, new
/// member) completes when every subscriber of that campaign has received an update naming the member. Expectations
/// are registered before the write, so an update can never arrive unawaited.
/// </summary>
public sealed class CampaignWatch(int subscribersPerCampaign)
{
    readonly Dictionary<(string Campaign, string Member), Expectation> _pending = [];
    readonly Lock _lock = new();

    /// <summary>Updates received, SUBSCRIBED ones included (a health check of the subscriptions).</summary>
    public long Received => Interlocked.Read(ref _received);
    long _received;

    /// <summary>Subscriptions that failed or were closed by the server.</summary>
    public int Broken => _broken;
    int _broken;

    /// <summary>Completes when every subscriber of <paramref name="campaignId"/> was told <paramref name="memberId"/> joined.</summary>
    public Task ExpectAsync(string campaignId, string memberId, CancellationToken ct)
    {
        var expectation = new Expectation();
        lock (_lock)
        {
            _pending[(campaignId, memberId)] = expectation;
        }
        ct.Register(() =>
        {
            lock (_lock)
            {
                _pending.Remove((campaignId, memberId));
            }
            expectation.Done.TrySetCanceled(ct);
        });
        return expectation.Done.Task;
    }

    /// <summary>Subscriber number <paramref name="subscriber"/> of <paramref name="campaignId"/> received an update.</summary>
    public void Deliver(int subscriber, string campaignId, IEnumerable<string> newMemberIds)
    {
        Interlocked.Increment(ref _received);
        foreach (var member in newMemberIds)
        {
            lock (_lock)
            {
                if (!_pending.TryGetValue((campaignId, member), out var expectation) || !expectation.Told.Add(subscriber)
                    || expectation.Told.Count < subscribersPerCampaign)
                {
                    continue;
                }
                _pending.Remove((campaignId, member));
                expectation.Done.TrySetResult();
            }
        }
    }

    public void Break() => Interlocked.Increment(ref _broken);

    sealed class Expectation
    {
        public readonly HashSet<int> Told = [];
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
