using System.Text.Json.Nodes;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>
/// Pages a TAXII 2.1 server that is not ThreatGraph, which may give several objects the same <c>date_added</c> and
/// split them over two pages: then <c>added_after</c> the last page's timestamp would skip the rest of the tie. So:
/// <list type="bullet">
/// <item>each request overlaps the last page by asking <c>added_after</c> one microsecond (TAXII's precision) before the
/// checkpoint, and what comes back twice is dropped by <c>(id, modified)</c>, so a tie across pages loses nothing and
/// applies nothing twice;</item>
/// <item>a page that does not move <c>date_added</c> forward (a tie as large as the page) is asked again with twice the
/// limit, up to 10,000; the server's own <c>next</c> is followed when it gives one;</item>
/// <item>a server that keeps saying <c>more</c> without anything new or any progress is a failed poll
/// (<see cref="FederationPullException"/>: recorded, backed off), and one poll reads at most
/// <see cref="FederationPeerOptions.MaxPagesPerPoll"/> pages: the job never loops.</item>
/// </list>
/// </summary>
public sealed class PlainTaxiiPuller(TaxiiPeerClient client)
{
    const int MaxLimit = 10_000;
    static readonly TimeSpan Overlap = TimeSpan.FromTicks(10); // one microsecond

    /// <summary>Per peer: the versions read since the checkpoint last moved — a superset of those added at the checkpoint,
    /// which the next request's overlap reads again. In memory: after a restart they are read once more and answered
    /// "unchanged" by ingest, which is idempotent.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset? Checkpoint, HashSet<string> Keys)> _atCheckpoint =
        new(StringComparer.Ordinal);

    /// <param name="apply">Applies a page's fresh objects and records the checkpoint (only then is the next page read).</param>
    /// <param name="caughtUp">Records that the server had nothing more.</param>
    public async Task PullAsync(FederationPeerOptions peer, DateTimeOffset? checkpoint,
        Func<PlainPage, Task> apply, Func<Task> caughtUp, CancellationToken cancel)
    {
        var known = _atCheckpoint.TryGetValue(peer.Name, out var k) && k.Checkpoint == checkpoint ? k.Keys : [];
        var seen = new HashSet<string>(known, StringComparer.Ordinal);
        var limit = peer.PageSize;
        string? next = null;
        DateTimeOffset? chainAfter = null;
        for (var pages = 0; pages < peer.MaxPagesPerPoll; pages++)
        {
            var after = next is null ? Before(checkpoint) : chainAfter;
            var page = await client.GetObjectsAsync(peer, after, cancel, next, limit);
            chainAfter = after;
            if (page.Objects.Count == 0)
            {
                await caughtUp();
                return;
            }
            var fresh = page.Objects.Where(o => seen.Add(KeyOf(o))).ToList();
            if (fresh.Count == 0 && !page.More)
            {
                await caughtUp(); // only what the overlap reads again
                return;
            }
            if (page.DateAddedLast is null && page.Next is null && page.More)
            {
                throw new FederationPullException($"peer '{peer.Name}' says more objects follow but sent no X-TAXII-Date-Added-Last or next (TAXII 2.1 requires them to page)");
            }
            var progressed = page.DateAddedLast is { } last && (checkpoint is null || last > checkpoint);
            if (progressed)
            {
                checkpoint = page.DateAddedLast;
            }
            Remember(peer.Name, checkpoint, progressed, page);
            if (fresh.Count > 0)
            {
                await apply(new PlainPage(page, fresh, checkpoint));
            }
            if (!page.More)
            {
                return;
            }
            if (page.Next is { } n)
            {
                if (n == next)
                {
                    throw Stalled(peer, page, checkpoint); // the same cursor again: following it would loop
                }
                (next, limit) = (n, peer.PageSize);
                continue;
            }
            next = null;
            if (progressed)
            {
                limit = peer.PageSize;
            }
            else if (limit < MaxLimit && page.Objects.Count >= limit)
            {
                limit = Math.Min(MaxLimit, limit * 2); // the tie fills the page: ask for more of it at once
            }
            else
            {
                throw Stalled(peer, page, checkpoint);
            }
        }
    }

    /// <summary>Keeps the versions read since the checkpoint last moved: a page that moved it starts the set afresh
    /// (what it added at the new checkpoint is on it); a page that did not adds to it.</summary>
    void Remember(string peer, DateTimeOffset? checkpoint, bool progressed, PulledPage page)
    {
        var keys = page.Objects.Select(KeyOf);
        _atCheckpoint[peer] = !progressed && _atCheckpoint.TryGetValue(peer, out var at) && at.Checkpoint == checkpoint
            ? (checkpoint, [.. at.Keys, .. keys])
            : (checkpoint, [.. keys]);
    }

    static DateTimeOffset? Before(DateTimeOffset? checkpoint) =>
        checkpoint is { } c && c > DateTimeOffset.MinValue + Overlap ? c - Overlap : null;

    /// <summary>An object's version: id and modified (created for objects without; the content for SCOs, which have neither).</summary>
    public static string KeyOf(JsonObject o)
    {
        var id = o["id"]?.ToString() ?? "";
        var version = o["modified"]?.ToString() ?? o["created"]?.ToString();
        return version is null ? id + "#" + o.ToJsonString() : id + "@" + version;
    }

    static FederationPullException Stalled(FederationPeerOptions peer, PulledPage page, DateTimeOffset? checkpoint) =>
        new($"peer '{peer.Name}' keeps answering more: true without anything new past date_added " +
            $"{(checkpoint is { } c ? ThreatGraph.Contracts.Taxii.TaxiiTimestamp.Format(c) : "(start)")} ({page.Objects.Count} objects, all pulled already); polled again after back-off");
}
