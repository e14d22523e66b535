using System.Collections.Concurrent;
using ThreatGraph.Bench.Runner.Data;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>
/// The in-memory floor: the dataset's plain arrays, searched by one dedicated thread (requests queue up in front of
/// it, so open-loop latency includes the wait, as with any server). What a graph costs without a network, a
/// database or actors. Ingested units go into side dictionaries (the CSR arrays are immutable).
/// </summary>
public sealed class FloorSystem : IGraphSystem, IDisposable
{
    readonly Dataset _data;
    readonly GraphAlgorithms _algorithms;
    readonly BlockingCollection<Action> _work = new();
    readonly Thread _thread;
    readonly Dictionary<string, string> _added = new(StringComparer.Ordinal);
    readonly Dictionary<int, List<int>> _addedEdges = [];

    public FloorSystem(Dataset data)
    {
        _data = data;
        _algorithms = new GraphAlgorithms(data);
        _thread = new Thread(() => { foreach (var a in _work.GetConsumingEnumerable()) a(); }) { IsBackground = true, Name = "floor" };
        _thread.Start();
    }

    public string Name => "in-memory floor (1 thread)";
    public bool IsThreatGraph => false;
    public string? Unsupported(Capability capability) => capability == Capability.Subscription ? "n/a (no subscriptions in the floor)" : null;

    Task<T> Run<T>(Func<T> f)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { tcs.SetResult(f()); }
            catch (Exception e) { tcs.SetException(e); }
        });
        return tcs.Task;
    }

    public Task<string?> LookupAsync(string id, CancellationToken ct) =>
        Run(() => _data.Index.TryGetValue(id, out var i) ? _data.Types[i] : _added.GetValueOrDefault(id));

    public Task<int> TwoHopAsync(string id, CancellationToken ct) =>
        Run(() => _data.Index.TryGetValue(id, out var i) ? _algorithms.Neighbourhood(i, 2, Limits.NeighbourhoodNodes) : 0);

    public Task<int?> ShortestPathAsync(string a, string b, CancellationToken ct) =>
        Run(() => _algorithms.ShortestPath(_data.Index[a], _data.Index[b], Dataset.PathFlag, Limits.MaxPathHops));

    public Task<IReadOnlyCollection<string>> LinkedCampaignsAsync(string campaignId, CancellationToken ct) =>
        Run<IReadOnlyCollection<string>>(() => _algorithms.Reachable(_data.Index[campaignId], Dataset.LinkFlag, "campaign").Select(i => _data.Ids[i]).ToList());

    public Task<IAsyncDisposable> SubscribeCampaignsAsync(IReadOnlyList<string> campaignIds, int perCampaign, CampaignWatch watch, CancellationToken ct) =>
        throw new NotSupportedException(Unsupported(Capability.Subscription));

    public Task IngestUnitAsync(DeltaUnit unit, CancellationToken ct) => Run(() =>
    {
        foreach (var n in unit.Nodes) _added[n.Id] = n.Type;
        foreach (var e in unit.Edges)
        {
            if (_data.Index.TryGetValue(e.Target, out var t)) (_addedEdges.TryGetValue(t, out var l) ? l : _addedEdges[t] = []).Add(-1);
        }
        return true;
    });

    public void Dispose() => _work.CompleteAdding();
}
