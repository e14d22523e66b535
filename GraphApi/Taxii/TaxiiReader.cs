using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Security;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.GraphApi.Federation;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>One page of a collection as the caller (in RequestContext) may see it.</summary>
/// <param name="Items">Log entries, each with its stored STIX JSON when asked for.</param>
/// <param name="Next">The token for the following page, when <paramref name="More"/>.</param>
public sealed record TaxiiPage(IReadOnlyList<(TaxiiLogEntry Entry, string? Json)> Items, bool More, string? Next);

/// <summary>
/// Pages a collection log and applies THE access policy through the node grains: an entry is served only when its
/// node answers it to the caller (<see cref="INodeGrain.GetVersionsAsync"/> / <see cref="INodeGrain.IsVisibleAsync"/>),
/// so an invisible object is absent from objects, manifest, versions and every count. A peer deployment (federation
/// key) gets each object with its <see cref="Provenance"/>.
/// </summary>
public sealed class TaxiiReader(IGrainFactory grains, IOptions<FederationOptions> federation)
{
    /// <param name="withContent">Fetch the objects (objects endpoints) or only check visibility (manifest, versions).</param>
    public async Task<TaxiiPage> ReadAsync(string collectionId, TaxiiFilter filter, bool withContent, CancellationToken cancel)
    {
        var log = grains.GetGrain<ITaxiiCollectionLogGrain>(collectionId);
        var kept = new List<(TaxiiLogEntry, string?)>();
        var toPeer = CallerContext.Current.HasRole(CallerIdentity.FederationRole);
        var position = filter.AfterSeq;
        var want = filter.Limit + 1; // one more than the page proves there is more
        while (kept.Count < want)
        {
            cancel.ThrowIfCancellationRequested();
            var page = await log.ReadAsync(filter.ToLogQuery(position, Math.Max(64, want - kept.Count)));
            var visible = await VisibleAsync(page.Entries, withContent);
            foreach (var e in page.Entries)
            {
                if (visible.TryGetValue(e.Id, out var record))
                {
                    kept.Add((e, !withContent ? null : toPeer ? ProvenanceOf(record!, e).AddTo(Pick(record!.Versions, e)) : Pick(record!.Versions, e)));
                    if (kept.Count == want)
                    {
                        break;
                    }
                }
            }
            if (page.AtEnd || page.Entries.Count == 0 && page.ScannedTo <= position)
            {
                break;
            }
            position = page.ScannedTo;
        }
        var more = kept.Count > filter.Limit;
        var items = more ? kept.GetRange(0, filter.Limit) : kept;
        return new TaxiiPage(items, more, more ? TaxiiCursor.Encode(items[^1].Item1.Seq) : null);
    }

    /// <summary>Whether the caller may see the object, and whether the log holds it at all.</summary>
    public async Task<bool> IsKnownAndVisibleAsync(string collectionId, string id)
    {
        var page = await grains.GetGrain<ITaxiiCollectionLogGrain>(collectionId)
            .ReadAsync(new TaxiiLogQuery(0, null, [id], null, null, ["all"], 1));
        return page.Entries.Count > 0 && await grains.GetNode(id).IsVisibleAsync();
    }

    /// <summary>The ids the caller may see, with their stored versions and reporter (null values when content was not asked for).</summary>
    async Task<Dictionary<string, NodeRecord?>> VisibleAsync(IReadOnlyList<TaxiiLogEntry> entries, bool withContent)
    {
        var ids = entries.Select(e => e.Id).Distinct(StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(ids.Select(async id =>
        {
            var node = grains.GetNode(id);
            if (withContent)
            {
                var record = await node.GetRecordAsync();
                return (id, visible: record is not null, record);
            }
            return (id, visible: await node.IsVisibleAsync(), record: (NodeRecord?)null);
        }));
        return answers.Where(a => a.visible).ToDictionary(a => a.id, a => a.record, StringComparer.Ordinal);
    }

    /// <summary>What a peer is told about where the object comes from: the deployment and organisation it was first
    /// reported to and by (this one, unless it came here by federation), its TLP there, and the dates.</summary>
    Provenance ProvenanceOf(NodeRecord record, TaxiiLogEntry e)
    {
        var access = record.Access!;
        return new Provenance(access.Deployment ?? federation.Value.Deployment, access.OwnerOrg, access.Tlp,
            access.ReportedAt ?? record.FirstSeen ?? e.DateAdded, e.DateAdded);
    }

    /// <summary>The node's version that this log entry recorded (by content hash); the newest when none matches.</summary>
    static string Pick(IReadOnlyList<string> versions, TaxiiLogEntry e)
    {
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            if (TaxiiCollections.ContentHash(versions[i]) == e.ContentHash)
            {
                return versions[i];
            }
        }
        return versions[^1];
    }
}
