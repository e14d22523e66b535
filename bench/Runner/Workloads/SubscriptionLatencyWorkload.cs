using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Systems;

namespace ThreatGraph.Bench.Runner.Workloads;

/// <summary>
/// Ingest-to-subscriber latency with 100 subscribers: 10 campaigns (outside the planted clusters) are watched by 10
/// separate subscriptions each. Each operation writes a new indicator (its pattern names no observable) that
/// indicates one of the campaigns, round robin, so it joins that campaign's cluster alone; the operation ends when all 10 subscribers of that
/// campaign have received an update naming the indicator. Latency runs from the scheduled write to the last of the
/// 10 deliveries; an update that never comes is a timeout. Each system watches its own 10 campaigns.
/// </summary>
public sealed class SubscriptionLatencyWorkload(int seed) : Workload
{
    public const int Campaigns = 10;
    public const int SubscribersPerCampaign = 10;

    /// <summary>Each system's unit numbers (warm-up ones included) start halfway between two of the mixed workload's
    /// ranges (system × 10,000,000): no unit is ever written twice (a repeated write changes nothing, so tells nobody).</summary>
    const int UnitOffset = 5_000_000;

    static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(30);

    string[] _candidates = [];
    string[] _campaigns = [];
    CampaignWatch? _watch;
    IAsyncDisposable? _subscriptions;
    int _unitOffset;

    public override string Key => "subscription";
    public override string Title => $"Ingest-to-subscriber latency, {Campaigns * SubscribersPerCampaign} subscribers";
    public override Capability Capability => Capability.Subscription;
    public override IEnumerable<Capability> AlsoNeeds => [Capability.Ingest];
    public override double BaseRate => 10;

    public override void Prepare(Dataset data, GraphAlgorithms oracle, Random rng)
    {
        var clustered = data.Truth.CampaignClusters.SelectMany(c => c).ToHashSet(StringComparer.Ordinal);
        _candidates = [.. Enumerable.Range(0, data.NodeCount).Where(i => data.Types[i] == "campaign" && !clustered.Contains(data.Ids[i]))
            .Select(i => data.Ids[i]).OrderBy(_ => rng.Next())];
    }

    public override async Task StartSystemAsync(IGraphSystem system, int systemNumber)
    {
        _campaigns = [.. _candidates.Skip(systemNumber * Campaigns).Take(Campaigns)];
        _unitOffset = UnitOffset + systemNumber * 10_000_000;
        _watch = new CampaignWatch(SubscribersPerCampaign);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _subscriptions = await system.SubscribeCampaignsAsync(_campaigns, SubscribersPerCampaign, _watch, deadline.Token);
    }

    public override async Task EndSystemAsync()
    {
        if (_subscriptions is not null)
        {
            await _subscriptions.DisposeAsync();
            _subscriptions = null;
        }
    }

    public override async Task<bool> RunOneAsync(IGraphSystem system, int i, CancellationToken ct)
    {
        var watch = _watch ?? throw new InvalidOperationException("no subscriptions open");
        var unit = DeltaUnit.CampaignMember(seed, _unitOffset + i, _campaigns);
        // A lost update must end the operation (as an error), also during the unbounded warm-up.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(LostAfter);
        var told = watch.ExpectAsync(_campaigns[(_unitOffset + i) % _campaigns.Length], unit.IndicatorId, bounded.Token);
        await system.IngestUnitAsync(unit, ct);
        await told;
        return true;
    }
}
