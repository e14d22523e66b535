using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Grains.Index;
using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Indexing;

[GenerateSerializer, Alias("tg.TypeIndexState")]
public sealed class TypeIndexState
{
    [Id(0)] public List<IndexEntry> Entries { get; set; } = [];
    [Id(1)] public Dictionary<string, int> PositionById { get; set; } = [];
}

/// <summary>
/// All objects of one type, in arrival order. Written in batches by ingest (one call per type per rank).
/// Counts and search answer for the caller in <see cref="CallerContext"/>: what it may not see is not counted.
/// </summary>
public sealed class TypeIndexGrain([PersistentState("typeindex", StorageNames.Graph)] IPersistentState<TypeIndexState> state)
    : Grain, ITypeIndexGrain
{
    AccessPolicy? _policy;
    AccessPolicy Policy => _policy ??= ServiceProvider.GetRequiredService<AccessPolicy>();

    public async Task UpsertAsync(IReadOnlyList<IndexEntry> entries)
    {
        var s = state.State;
        foreach (var e in entries)
        {
            if (s.PositionById.TryGetValue(e.Id, out var at))
            {
                // Another report of the same object (an observable from a second organisation) adds its access.
                var known = s.Entries[at].Access ?? [];
                s.Entries[at] = e with { Access = [.. known, .. (e.Access ?? []).Where(a => !known.Contains(a))] };
            }
            else
            {
                s.PositionById[e.Id] = s.Entries.Count;
                s.Entries.Add(e);
            }
        }
        await state.WriteStateAsync();
    }

    public Task<int> CountAsync(bool includeRevoked) => Task.FromResult(Visible(includeRevoked).Count());

    public Task<IndexPage> SearchAsync(string? text, bool includeRevoked, int skip, int take)
    {
        var hits = Visible(includeRevoked);
        if (!string.IsNullOrWhiteSpace(text))
        {
            hits = hits.Where(e => e.Id.Contains(text, StringComparison.OrdinalIgnoreCase)
                                   || (e.Name?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false));
        }
        var all = hits.ToList();
        return Task.FromResult(new IndexPage([.. all.Skip(skip).Take(take)], all.Count));
    }

    IEnumerable<IndexEntry> Visible(bool includeRevoked)
    {
        var caller = CallerContext.Current;
        return state.State.Entries.Where(e => (includeRevoked || !e.Revoked)
                                              && (caller.IsSystem || Policy.CanSeeAny(caller, e.Access ?? [])));
    }
}
