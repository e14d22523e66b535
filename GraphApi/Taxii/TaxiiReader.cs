using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>One page of a collection as the caller (in RequestContext) may see it.</summary>
/// <param name="Items">Log entries, each with its stored STIX JSON when asked for.</param>
/// <param name="Next">The token for the following page, when <paramref name="More"/>.</param>
public sealed record TaxiiPage(IReadOnlyList<(TaxiiLogEntry Entry, string? Json)> Items, bool More, string? Next);

/// <summary>
/// Pages a collection log (its partitions merged by <see cref="TaxiiLogMerge"/>) and applies THE access policy through the node grains: an entry is served only when its
/// node lists that version among those the caller may see (<see cref="INodeGrain.GetRecordAsync"/>), so an invisible
/// object — or an invisible version of a visible one — is absent from objects, manifest, versions and every count. A peer deployment (federation
/// key) gets each object with its <see cref="Provenance"/>.
/// </summary>
public sealed class TaxiiReader(IGrainFactory grains, IOptions<FederationOptions> federation, IOptions<TaxiiLogOptions> log)
{
    readonly TaxiiLogMerge _merge = new(grains, log.Value.LogPartitions);

    /// <summary>The log's partition count: a <c>next</c> token holds one position per partition.</summary>
    public int Partitions => _merge.Partitions;

    /// <param name="withContent">Fetch the objects (objects endpoints) or only check visibility (manifest, versions).</param>
    public async Task<TaxiiPage> ReadAsync(string collectionId, TaxiiFilter filter, bool withContent, CancellationToken cancel)
    {
        var toPeer = CallerContext.Current.HasRole(CallerIdentity.FederationRole);
        var page = await _merge.ReadAsync<Served>(collectionId, filter, async entries =>
        {
            var visible = await VisibleAsync(entries);
            // An entry is served only when the caller may see that very version (its own markings), not merely the object.
            return [.. entries.Select(e => visible.TryGetValue(e.Id, out var record) && Find(record, e) is { } version
                ? new Served(e, !withContent ? null : toPeer ? ProvenanceOf(version, record, e).AddTo(version.Json) : version.Json)
                : null)];
        }, cancel);
        return new TaxiiPage([.. page.Items.Select(s => (s.Entry, s.Json))], page.More, page.Next is { } next ? TaxiiCursor.Encode(next) : null);
    }

    /// <summary>Whether the caller may see the object, and whether the log holds it at all (its partition only).</summary>
    public async Task<bool> IsKnownAndVisibleAsync(string collectionId, string id)
    {
        var partition = TaxiiLogPartitioning.KeyOf(collectionId, Partitions, TaxiiLogPartitioning.PartitionOf(id, Partitions));
        var page = await grains.GetGrain<ITaxiiLogPartitionGrain>(partition).ReadAsync(new TaxiiLogQuery(0, null, [id], null, null, ["all"], 1));
        return page.Entries.Count > 0 && await grains.GetNode(id).IsVisibleAsync();
    }

    sealed record Served(TaxiiLogEntry Entry, string? Json);

    /// <summary>The versions the caller may see, by object id (objects it may not see are absent).</summary>
    async Task<Dictionary<string, NodeRecord>> VisibleAsync(IReadOnlyList<TaxiiLogEntry> entries)
    {
        var ids = entries.Select(e => e.Id).Distinct(StringComparer.Ordinal).ToList();
        var records = await Task.WhenAll(ids.Select(id => grains.GetNode(id).GetRecordAsync()));
        var result = new Dictionary<string, NodeRecord>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (records[i] is { } record)
            {
                result[ids[i]] = record;
            }
        }
        return result;
    }

    /// <summary>What a peer is told about where the version comes from: the deployment and organisation it was first
    /// reported to and by (this one, unless it came here by federation), its TLP there, and the dates.</summary>
    Provenance ProvenanceOf(RecordedVersion version, NodeRecord record, TaxiiLogEntry e)
    {
        var access = version.Access;
        return new Provenance(access.Deployment ?? federation.Value.Deployment, access.OwnerOrg, access.Tlp,
            access.ReportedAt ?? record.FirstSeen ?? e.DateAdded, e.DateAdded);
    }

    /// <summary>The visible version this log entry recorded (by content hash); null when the caller may not see it.</summary>
    static RecordedVersion? Find(NodeRecord record, TaxiiLogEntry e)
    {
        for (var i = record.Versions.Count - 1; i >= 0; i--)
        {
            if (TaxiiCollections.ContentHash(record.Versions[i].Json) == e.ContentHash)
            {
                return record.Versions[i];
            }
        }
        return null;
    }
}
