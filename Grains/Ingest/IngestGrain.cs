using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Index;
using ThreatGraph.Grains.Indexing;
using ThreatGraph.Grains.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Security;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Grains.Ingest;

/// <summary>
/// The ingest pipeline: validate each object, then apply rank by rank (see <see cref="DependencyOrder"/>):
/// upsert the nodes, mirror their edges onto the peers in one batch per peer, update the type indexes.
/// One bad object never stops the others; the answer is given only once every write it reports is done.
/// </summary>
[StatelessWorker]
public sealed class IngestGrain(IOptions<IngestOptions> options, AccessPolicy policy) : Grain, IIngestGrain
{
    readonly int _parallelism = Math.Max(1, options.Value.MaxParallelism);
    readonly int _maxObjectBytes = Math.Max(1, options.Value.MaxObjectBytes);
    readonly int _maxObjects = Math.Max(1, options.Value.MaxObjectsPerRequest);

    public async Task<IngestReport> IngestAsync(IngestRequest request)
    {
        var caller = CallerContext.Current;
        if (caller.IsAnonymous)
        {
            var refused = request.Entries.Select(e => Rejected(e.Index, null, null,
                [new IngestIssue(e.Path, "ingest needs an organisation's credentials", IssueLevel.Error)])).ToList();
            return new IngestReport(request.BundleId, refused, IngestTotals.Of(refused), []);
        }
        if (IngestEntryReader.RefuseOversizeRequest(request, _maxObjects) is { } tooMany)
        {
            return new IngestReport(request.BundleId, tooMany, IngestTotals.Of(tooMany), []);
        }
        var results = new ObjectResult?[request.Entries.Count];
        var logged = new StixObject?[request.Entries.Count]; // versions their nodes hold, for the TAXII log (bundle order)
        var accepted = new List<Accepted>();
        for (var i = 0; i < request.Entries.Count; i++)
        {
            var entry = request.Entries[i];
            if (entry.Origin is not null && !caller.IsSystem)
            {
                results[i] = Rejected(entry.Index, null, null, [new IngestIssue(entry.Path, "only federation may set an object's origin", IssueLevel.Error)]);
            }
            else if (Prepare(entry, i, _maxObjectBytes, out var item) is { } rejection)
            {
                results[i] = rejection with { Index = entry.Index };
            }
            else
            {
                accepted.Add(item!);
            }
        }

        // Correlation: observable aliases resolved before edges are built; linking edges handed over after the mirrors.
        var correlation = CorrelationCollector.Create(ServiceProvider);
        var aliases = await ObservableAliases.PrepareAsync(GrainFactory, accepted.Select(a => a.Object));
        var origins = accepted.Where(a => a.Origin is not null).GroupBy(a => a.Object.Id).ToDictionary(g => g.Key, g => g.First().Origin);
        await aliases.WriteCanonicalNodesAsync(GrainFactory, obj => AccessOf(obj, caller, origins.GetValueOrDefault(obj.Id)));

        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rank in accepted.GroupBy(a => DependencyOrder.RankOf(a.Object.Type)).OrderBy(g => g.Key))
        {
            // Versions of the same id go in timestamp order, one after the other; different ids in parallel.
            var byId = rank.GroupBy(a => a.Object.Id)
                .Select(g => g.OrderBy(a => a.Object.VersionStamp ?? DateTimeOffset.MinValue).ToList()).ToList();
            var mirrors = new MirrorBatch();
            var indexed = new List<(string Type, IndexEntry Entry)>();
            await BoundedParallel.ForEachAsync(byId, _parallelism, async versions =>
            {
                foreach (var a in versions)
                {
                    results[a.ResultSlot] = await ApplyAsync(a, AccessOf(a.Object, caller, a.Origin), mirrors, indexed, logged, aliases.Map, correlation);
                }
            });
            await mirrors.FlushAsync(GrainFactory, _parallelism);
            await UpdateIndexesAsync(indexed);
            await Taxii.TaxiiLogHook.AppendAsync(GrainFactory, rank.Select(a => logged[a.ResultSlot]).OfType<StixObject>());
            types.UnionWith(indexed.Select(x => x.Type));
        }
        if (types.Count > 0)
        {
            await GrainFactory.GetGrain<ICatalogGrain>(CatalogGrain.Key).AddTypesAsync([.. types]);
        }
        await correlation.FlushAsync(GrainFactory);

        var final = results.Select((r, i) => r ?? Rejected(request.Entries[i].Index, null, null,
            [new IngestIssue(request.Entries[i].Path, "not processed", IssueLevel.Error)])).ToList();
        return new IngestReport(request.BundleId, final, IngestTotals.Of(final), []);
    }

    /// <summary>Who may see the object: its TLP marking (or the reporting organisation's default) and named recipients.
    /// Marking definitions are public: they are the vocabulary of access, not content. An object from a peer keeps
    /// its origin's reporter and TLP (and records where it came from).</summary>
    AccessDescriptor AccessOf(StixObject obj, CallerIdentity caller, ObjectOrigin? origin = null)
    {
        var recipients = obj.Strings(AccessDescriptor.RecipientsProperty);
        if (origin is not null)
        {
            var marked = obj.Kind == StixKind.MarkingDefinition ? TlpLevel.Clear : Tlp.Strictest(obj.ObjectMarkingRefs) ?? origin.Tlp;
            return new AccessDescriptor(marked, origin.Org, $"{origin.Org}@{origin.Deployment}", recipients, origin.Deployment, origin.ReportedAt);
        }
        var tlp = obj.Kind == StixKind.MarkingDefinition ? TlpLevel.Clear
            : Tlp.Strictest(obj.ObjectMarkingRefs) ?? policy.DefaultTlpOf(caller.Org);
        return new AccessDescriptor(tlp, caller.Org, caller.Member, recipients);
    }

    async Task<ObjectResult> ApplyAsync(Accepted a, AccessDescriptor access, MirrorBatch mirrors, List<(string, IndexEntry)> indexed, StixObject?[] logged,
        IReadOnlyDictionary<string, string> aliases, CorrelationCollector correlation)
    {
        var obj = a.Object;
        var markings = obj.ObjectMarkingRefs;
        var version = new StixObjectVersion(obj.Id, obj.Type, obj.ToJsonString(), obj.VersionStamp, obj.Revoked,
            markings, EdgeBuilder.OwnEdges(obj, markings, access, aliases), access);
        var result = await GrainFactory.GetNode(obj.Id).UpsertAsync(version);
        if (result.Outcome == UpsertOutcome.Rejected)
        {
            return Rejected(a.Index, obj.Id, obj.Type, [new IngestIssue(a.Path, result.Reason ?? "rejected", IssueLevel.Error)]);
        }

        foreach (var e in result.AddedEdges)
        {
            mirrors.Add(e.PeerId, e.Mirror(obj.Id));
        }
        foreach (var e in result.RemovedEdges)
        {
            mirrors.Remove(e.PeerId, e.Mirror(obj.Id));
        }
        var relationship = EdgeBuilder.RelationshipEdge(obj, markings, access, aliases);
        correlation.Observe(obj, version.OutEdges, result.RemovedEdges, relationship);
        if (relationship is var (source, edge))
        {
            mirrors.Add(source, edge);
            mirrors.Add(edge.PeerId, edge.Mirror(source));
        }
        // Unchanged objects are indexed (and logged for TAXII) again too, both idempotent: an ingest killed after the
        // node write but before the index and log writes is healed by sending the bundle again. Only versions the node
        // holds go to the log (an older version it ignored is not served).
        lock (indexed)
        {
            indexed.Add((obj.Type, new IndexEntry(obj.Id, obj.Name, obj.Revoked, markings, [access])));
        }
        logged[a.ResultSlot] = result.Stored ? obj : null;
        return new ObjectResult(a.Index, obj.Id, obj.Type, result.Outcome, [], a.Warnings);
    }

    async Task UpdateIndexesAsync(List<(string Type, IndexEntry Entry)> indexed)
    {
        var calls = indexed.GroupBy(x => x.Type)
            .Select(g => GrainFactory.GetGrain<ITypeIndexGrain>(g.Key).UpsertAsync([.. g.Select(x => x.Entry)]));
        await Task.WhenAll(calls);
    }

    /// <summary>The validation stage, before any write: a rejection, or the object accepted. An unexpected exception
    /// here rejects this object alone (nothing of it has been written yet).</summary>
    static ObjectResult? Prepare(IngestEntry entry, int slot, int maxObjectBytes, out Accepted? accepted)
    {
        accepted = null;
        try
        {
            return PrepareStrict(entry, slot, maxObjectBytes, out accepted);
        }
        catch (Exception e)
        {
            accepted = null;
            return Rejected(entry.Index, null, null, [new IngestIssue(entry.Path, $"the object could not be validated ({e.GetType().Name}); it was not written", IssueLevel.Error)]);
        }
    }

    static ObjectResult? PrepareStrict(IngestEntry entry, int slot, int maxObjectBytes, out Accepted? accepted)
    {
        accepted = null;
        if (IngestEntryReader.Read(entry, maxObjectBytes, out var unreadable) is not { } json)
        {
            return Rejected(entry.Index, null, null, [unreadable!]);
        }

        var obj = new StixObject(json);
        if (json.ContainsKey(ObjectOrigin.Property))
        {
            // Federation takes it off before ingest; anyone else sending it would be claiming another origin.
            return Rejected(entry.Index, NullIfEmpty(obj.Id), NullIfEmpty(obj.Type),
                [new IngestIssue($"{entry.Path}.{ObjectOrigin.Property}", "is set by federation only; remove it", IssueLevel.Error)]);
        }
        var issues = StixValidator.Validate(json, entry.Path);
        var errors = issues.Where(i => i.Severity == IssueSeverity.Error).Select(ToIssue).ToList();
        var warnings = issues.Where(i => i.Severity == IssueSeverity.Warning).Select(ToIssue).ToList();
        if (errors.Count > 0)
        {
            return new ObjectResult(entry.Index, NullIfEmpty(obj.Id), NullIfEmpty(obj.Type), UpsertOutcome.Rejected, errors, warnings);
        }
        accepted = new Accepted(slot, entry.Index, entry.Path, obj, warnings, entry.Origin);
        return null;
    }

    static IngestIssue ToIssue(StixIssue i) =>
        new(i.Path, i.Message, i.Severity == IssueSeverity.Error ? IssueLevel.Error : IssueLevel.Warning);

    static ObjectResult Rejected(int index, string? id, string? type, IReadOnlyList<IngestIssue> errors) =>
        new(index, id, type, UpsertOutcome.Rejected, errors, []);

    static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <param name="ResultSlot">Position in the request (and in the results array); Index is the bundle position.</param>
    sealed record Accepted(int ResultSlot, int Index, string Path, StixObject Object, IReadOnlyList<IngestIssue> Warnings, ObjectOrigin? Origin);
}
