using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Grains.Index;
using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Indexing;

[GenerateSerializer, Alias("tg.TypeIndexState.v2")]
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
        var changed = false;
        foreach (var e in entries)
        {
            if (s.PositionById.TryGetValue(e.Id, out var at))
            {
                // The node's newest account wins: an older revision arriving late (concurrent ingests) is ignored.
                if (e.Revision > s.Entries[at].Revision)
                {
                    s.Entries[at] = e;
                    changed = true;
                }
            }
            else
            {
                s.PositionById[e.Id] = s.Entries.Count;
                s.Entries.Add(e);
                changed = true;
            }
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<int> CountAsync(bool includeRevoked) => Task.FromResult(Visible(includeRevoked).Count());

    public Task<IndexPage> SearchAsync(string? text, bool includeRevoked, int skip, int take)
    {
        var all = Visible(includeRevoked)
            .Where(x => string.IsNullOrWhiteSpace(text) || Matches(x.Entry.Id, x.Reports, text))
            .Select(x => x.Entry).ToList();
        return Task.FromResult(new IndexPage([.. all.Skip(skip).Take(take)], all.Count));
    }

    /// <summary>Matches the id or the name of a report the caller may see (a hidden report's name is never searched).</summary>
    static bool Matches(string id, IReadOnlyList<IndexedReport> reports, string text) =>
        id.Contains(text, StringComparison.OrdinalIgnoreCase)
        || reports.Any(r => r.Name?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>Entries with at least one report the caller may see (live unless revoked ones are asked for), with those reports.</summary>
    IEnumerable<(IndexEntry Entry, IReadOnlyList<IndexedReport> Reports)> Visible(bool includeRevoked)
    {
        var caller = CallerContext.Current;
        foreach (var e in state.State.Entries)
        {
            if (e.Endpoints is { } endpoints && !endpoints.All(x => AccessSummary.Admits(Policy, caller, x)))
            {
                continue; // a relationship or sighting naming what the caller may not see
            }
            var reports = e.Reports.Where(r => caller.IsSystem || Policy.CanSee(caller, r.Access)).ToList();
            // Revoked for the caller when every report it may see is revoked (another organisation's revocation of
            // its own report of a shared observable does not hide the others').
            if (reports.Count > 0 && (includeRevoked || reports.Any(r => !r.Revoked)))
            {
                yield return (e, includeRevoked ? reports : [.. reports.Where(r => !r.Revoked)]);
            }
        }
    }
}
