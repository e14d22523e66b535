using ThreatGraph.Grains.Index;

namespace ThreatGraph.Grains.Indexing;

[GenerateSerializer, Alias("tg.TypeIndexState")]
public sealed class TypeIndexState
{
    [Id(0)] public List<IndexEntry> Entries { get; set; } = [];
    [Id(1)] public Dictionary<string, int> PositionById { get; set; } = [];
}

/// <summary>All objects of one type, in arrival order. Written in batches by ingest (one call per type per rank).</summary>
public sealed class TypeIndexGrain([PersistentState("typeindex", StorageNames.Graph)] IPersistentState<TypeIndexState> state)
    : Grain, ITypeIndexGrain
{
    public async Task UpsertAsync(IReadOnlyList<IndexEntry> entries)
    {
        var s = state.State;
        foreach (var e in entries)
        {
            if (s.PositionById.TryGetValue(e.Id, out var at))
            {
                s.Entries[at] = e;
            }
            else
            {
                s.PositionById[e.Id] = s.Entries.Count;
                s.Entries.Add(e);
            }
        }
        await state.WriteStateAsync();
    }

    public Task<int> CountAsync(bool includeRevoked) =>
        Task.FromResult(includeRevoked ? state.State.Entries.Count : state.State.Entries.Count(e => !e.Revoked));

    public Task<IndexPage> SearchAsync(string? text, bool includeRevoked, int skip, int take)
    {
        IEnumerable<IndexEntry> hits = state.State.Entries;
        if (!includeRevoked)
        {
            hits = hits.Where(e => !e.Revoked);
        }
        if (!string.IsNullOrWhiteSpace(text))
        {
            hits = hits.Where(e => e.Id.Contains(text, StringComparison.OrdinalIgnoreCase)
                                   || (e.Name?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false));
        }
        var all = hits.ToList();
        return Task.FromResult(new IndexPage([.. all.Skip(skip).Take(take)], all.Count));
    }
}
