using ThreatGraph.Contracts.Audit;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.GraphApi.Audit;

/// <summary>
/// Which audit records an auditor reads (README "Audit"): those of its own organisation, and the federation pulls made
/// for it (recorded by the platform for a peer whose <c>ReceivingOrg</c> it is, shown under its organisation; the
/// reserved id is never handed out). Nothing of another organisation: no record, no count, no id. Within those records,
/// <see cref="VisibleObjectsAsync"/> keeps only the ids of objects the auditor may see itself.
/// </summary>
public sealed class AuditScope
{
    const string FederationKeyPrefix = "federation:";
    readonly HashSet<string> _peersPullingForOrg;

    AuditScope(string org, HashSet<string> peers) => (Org, _peersPullingForOrg) = (org, peers);

    /// <summary>The organisation whose records these are.</summary>
    public string Org { get; }

    /// <summary>Whether the platform's records hold some of this organisation's (federation pulls made for it).</summary>
    public bool ReadsPlatformRecords => _peersPullingForOrg.Count > 0;

    public static AuditScope For(CallerIdentity auditor, FederationOptions federation) =>
        new(auditor.Org, federation.Peers.Where(p => p.ReceivingOrg == auditor.Org).Select(p => p.Name).ToHashSet(StringComparer.Ordinal));

    public IReadOnlyList<AuditRecord> Apply(IEnumerable<AuditRecord> records) =>
        [.. records.Select(Own).OfType<AuditRecord>()];

    AuditRecord? Own(AuditRecord record)
    {
        if (record.Org.Length > 0 && record.Org == Org)
        {
            return record;
        }
        var pulledForOrg = record.Org == CallerIdentity.SystemOrg
                           && record.KeyId.StartsWith(FederationKeyPrefix, StringComparison.Ordinal)
                           && _peersPullingForOrg.Contains(record.KeyId[FederationKeyPrefix.Length..]);
        return pulledForOrg ? record with { Org = Org } : null;
    }

    /// <summary>The records with only the object ids the caller in the RequestContext (the auditor) may see: a
    /// record of a member names what that member read, which may be TLP:RED for that member alone.</summary>
    public static async Task<IReadOnlyList<AuditRecord>> VisibleObjectsAsync(IGrainFactory grains, IReadOnlyList<AuditRecord> records)
    {
        var ids = records.SelectMany(r => r.Objects).Where(id => id.Contains("--", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var visible = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(64))
        {
            var answers = await Task.WhenAll(chunk.Select(id => grains.GetNode(id).IsVisibleAsync()));
            visible.UnionWith(chunk.Where((_, i) => answers[i]));
        }
        return [.. records.Select(r => r.Objects.All(visible.Contains) ? r : r with { Objects = [.. r.Objects.Where(visible.Contains)] })];
    }
}
