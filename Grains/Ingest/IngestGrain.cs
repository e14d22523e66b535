using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Upgrade;
using ThreatGraph.Stix.Validation;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;

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
    readonly int _maxObjects = Math.Max(1, options.Value.MaxObjectsPerCall);

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
        // Parsing and validation are pure CPU work: done on the thread pool, across the cores, so that this activation's
        // turn stays short (and the scheduler free) however large the call.
        var prepared = new Accepted?[request.Entries.Count];
        await Task.Run(() => Parallel.For(0, request.Entries.Count, i =>
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
            else if (OrganisationIdentities.Refusal(item!.Object, caller, policy.Community) is { } refusal)
            {
                results[i] = Rejected(entry.Index, item.Object.Id, item.Object.Type, [new IngestIssue($"{entry.Path}.{refusal.Path}", refusal.Message, IssueLevel.Error)]);
            }
            else
            {
                prepared[i] = item;
            }
        }));
        // A 2.0 observed-data's observables become objects of their own, each with a result slot after the request's.
        List<Accepted> accepted = [.. prepared.OfType<Accepted>()];
        var derived = accepted.SelectMany(a => a.Derived.Select(d => (Parent: a, d.Path, d.Object))).ToList();
        accepted.AddRange(derived.Select((d, k) => new Accepted(request.Entries.Count + k, d.Parent.Index, d.Path, new StixObject(d.Object), [],
            d.Parent.Origin, ParentSlot: d.Parent.ResultSlot)));
        Array.Resize(ref results, request.Entries.Count + derived.Count);
        Array.Resize(ref logged, results.Length);

        // Markings: what each object's markings mean for access, failing closed on what cannot be interpreted.
        var markings = await MarkingDefinitions.ResolveAsync(GrainFactory, accepted.Select(a => a.Object));
        accepted = [.. accepted.Select(a => a.WithMarkings(markings))];

        // Correlation: observable aliases resolved before edges are built; linking edges handed over after the mirrors.
        var correlation = CorrelationCollector.Create(ServiceProvider);
        var lifecycle = new Lifecycle.LifecycleCollector();
        var aliases = await ObservableAliases.PrepareAsync(GrainFactory, accepted.Select(a => a.Object));
        var origins = accepted.Where(a => a.Origin is not null).GroupBy(a => a.Object.Id).ToDictionary(g => g.Key, g => g.First().Origin);
        var readings = accepted.GroupBy(a => a.Object.Id).ToDictionary(g => g.Key, g => g.First().Markings!, StringComparer.Ordinal);
        var peers = new PeerAccessBatch(GrainFactory, _parallelism);
        await aliases.WriteCanonicalNodesAsync(GrainFactory, obj => AccessOf(obj, caller, origins.GetValueOrDefault(obj.Id), readings[obj.Id]),
            (id, result) => peers.Upserted(id, result.Summary, result.Fanout));

        foreach (var rank in accepted.GroupBy(a => DependencyOrder.RankOf(a.Object.Type)).OrderBy(g => g.Key))
        {
            var planned = rank.Select(a => Plan(a, AccessOf(a.Object, caller, a.Origin, a.Markings!), aliases.Map)).ToList();
            // Edges are written with who may see their peer: known from earlier ranks, else read once per peer.
            await peers.EnsureAsync(planned.SelectMany(p => p.PeerIds));
            // Versions of the same id go in timestamp order, one after the other; different ids in parallel.
            var byId = planned.GroupBy(p => p.Accepted.Object.Id)
                .Select(g => g.OrderBy(p => p.Accepted.Object.VersionStamp ?? DateTimeOffset.MinValue).ToList()).ToList();
            var mirrors = new MirrorBatch();
            var indexed = new List<(string Type, IndexEntry Entry)>();
            await BoundedParallel.ForEachAsync(byId, _parallelism, async versions =>
            {
                foreach (var p in versions)
                {
                    results[p.Accepted.ResultSlot] = await ApplyAsync(p, peers, mirrors, indexed, logged, correlation, lifecycle);
                }
            });
            peers.Answered(await mirrors.FlushAsync(GrainFactory, _parallelism));
            foreach (var entry in await peers.FlushAsync())
            {
                indexed.Add((StixTypes.TypeOfId(entry.Id) ?? "", entry));
            }
            await UpdateIndexesAsync(indexed);
            await Taxii.TaxiiLogHook.AppendAsync(ServiceProvider, GrainFactory, rank.Select(a => logged[a.ResultSlot]).OfType<StixObject>());
        }
        await correlation.FlushAsync(GrainFactory);
        await lifecycle.FlushAsync(GrainFactory); // after correlation: a revived indicator's links go in after its own edges

        var final = results.Take(request.Entries.Count).Select((r, i) => r ?? Rejected(request.Entries[i].Index, null, null,
            [new IngestIssue(request.Entries[i].Path, "not processed", IssueLevel.Error)])).ToList();
        // An upgraded observed-data answers for its observables: one that could not be written is said on it.
        foreach (var d in accepted.Where(a => a.ParentSlot is not null && results[a.ResultSlot]?.Outcome is null or UpsertOutcome.Rejected))
        {
            var parent = final[d.ParentSlot!.Value];
            var why = results[d.ResultSlot]?.Errors is [var first, ..] ? first.Message : "not processed";
            final[d.ParentSlot.Value] = parent with { Warnings = [.. parent.Warnings, new IngestIssue(d.Path, $"the observable {d.Object.Id} was not written: {why}", IssueLevel.Warning)] };
        }
        return new IngestReport(request.BundleId, final, IngestTotals.Of(final), []);
    }

    /// <summary>Who may see the object: its TLP marking (or the reporting organisation's default) and named recipients,
    /// failing closed when a marking cannot be interpreted (<see cref="MarkingInterpreter"/>: the reporting organisation
    /// only). Marking definitions are public: they are the vocabulary of access, not content. An object from a peer
    /// keeps its origin's reporter and TLP (and records where it came from).</summary>
    AccessDescriptor AccessOf(StixObject obj, CallerIdentity caller, ObjectOrigin? origin, MarkingReading marks)
    {
        var tlp = obj.Kind == StixKind.MarkingDefinition ? TlpLevel.Clear
            : marks.Tlp ?? origin?.Tlp ?? policy.DefaultTlpOf(caller.Org);
        var recipients = obj.Strings(AccessDescriptor.RecipientsProperty);
        if (marks.ReporterOnly && obj.Kind != StixKind.MarkingDefinition && tlp != TlpLevel.Red)
        {
            (tlp, recipients) = (TlpLevel.AmberStrict, []);
        }
        return origin is not null
            ? new AccessDescriptor(tlp, origin.Org, $"{origin.Org}@{origin.Deployment}", recipients, origin.Deployment, origin.ReportedAt)
            : new AccessDescriptor(tlp, caller.Org, caller.Member, recipients);
    }

    /// <summary>What an object will write: its version's own edges, the relationship edge it stands for, the endpoints
    /// it names; and every node id whose access the edges keep.</summary>
    sealed record Planned(Accepted Accepted, AccessDescriptor Access, IReadOnlyList<Edge> OwnEdges,
        (string SourceId, Edge Edge)? Relationship, IReadOnlyList<string> Endpoints)
    {
        public IEnumerable<string> PeerIds => OwnEdges.Select(e => e.PeerId).Concat(Endpoints);
    }

    static Planned Plan(Accepted a, AccessDescriptor access, IReadOnlyDictionary<string, string> aliases)
    {
        var obj = a.Object;
        var markings = obj.ObjectMarkingRefs;
        var relationship = EdgeBuilder.RelationshipEdge(obj, markings, access, aliases);
        IReadOnlyList<string> endpoints = relationship is var (source, edge) ? [source, edge.PeerId]
            : obj.Kind == StixKind.Sighting && obj.GetString("sighting_of_ref") is { } of ? [aliases.GetValueOrDefault(of) ?? of]
            : [];
        return new Planned(a, access, EdgeBuilder.OwnEdges(obj, markings, access, aliases), relationship,
            [.. endpoints.Where(e => e != obj.Id).Distinct(StringComparer.Ordinal)]);
    }

    async Task<ObjectResult> ApplyAsync(Planned p, PeerAccessBatch peers, MirrorBatch mirrors, List<(string, IndexEntry)> indexed,
        StixObject?[] logged, CorrelationCollector correlation, Lifecycle.LifecycleCollector lifecycle)
    {
        var (a, access) = (p.Accepted, p.Access);
        var obj = a.Object;
        var own = p.OwnEdges.Select(e => e with { PeerAccess = peers.Of(e.PeerId) }).ToList();
        foreach (var e in own)
        {
            peers.Held(e.PeerId, obj.Id);
        }
        var endpoints = p.Endpoints.ToDictionary(id => id, peers.Of, StringComparer.Ordinal);
        foreach (var id in endpoints.Keys)
        {
            peers.Held(id, obj.Id);
        }
        var version = new StixObjectVersion(obj.Id, obj.Type, obj.ToJsonString(), obj.VersionStamp, obj.Revoked,
            obj.ObjectMarkingRefs, own, access, obj.Name, endpoints.Count > 0 ? endpoints : null, a.Original);
        var result = await GrainFactory.GetNode(obj.Id).UpsertAsync(version);
        if (result.Outcome == UpsertOutcome.Rejected)
        {
            return Rejected(a.Index, obj.Id, obj.Type, [new IngestIssue(a.Path, result.Reason ?? "rejected", IssueLevel.Error)]);
        }
        peers.Upserted(obj.Id, result.Summary, result.Fanout);

        // The peers keep who may see this object on their mirror of each edge.
        var mine = result.Summary ?? [];
        foreach (var e in result.AddedEdges)
        {
            mirrors.Add(e.PeerId, e.Mirror(obj.Id) with { PeerAccess = mine });
        }
        foreach (var e in result.RemovedEdges)
        {
            mirrors.Remove(e.PeerId, e.Mirror(obj.Id));
        }
        correlation.Observe(obj, version.OutEdges, result.RemovedEdges, p.Relationship);
        if (obj.Type == "incident" && result.Outcome == UpsertOutcome.Updated)
        {
            correlation.IncidentUpdated(obj.Id);
        }
        if (result.Outcome is UpsertOutcome.Created or UpsertOutcome.Updated)
        {
            if (obj.Type == "indicator")
            {
                lifecycle.NewVersion(obj.Id);
            }
            else if (obj.Kind == StixKind.Sighting && obj.GetString("sighting_of_ref") is { } of && of.StartsWith("indicator--", StringComparison.Ordinal))
            {
                lifecycle.Sighted(of, access);
            }
        }
        if (p.Relationship is var (source, edge))
        {
            mirrors.Add(source, edge with { PeerAccess = peers.Of(edge.PeerId) });
            mirrors.Add(edge.PeerId, edge.Mirror(source) with { PeerAccess = peers.Of(source) });
            peers.Held(edge.PeerId, source);
            peers.Held(source, edge.PeerId);
        }
        // Unchanged objects are indexed (and logged for TAXII) again too, both idempotent: an ingest killed after the
        // node write but before the index and log writes is healed by sending the bundle again. The index gets what
        // the node holds, never what the request claimed; only versions the node holds go to the log.
        lock (indexed)
        {
            indexed.Add((obj.Type, result.Index!));
        }
        logged[a.ResultSlot] = result.Stored ? obj : null;
        return new ObjectResult(a.Index, obj.Id, obj.Type, result.Outcome, [], a.Warnings);
    }

    /// <summary>One call to the search index, which sends one call per touched partition (see <see cref="ISearchIndexGrain"/>).</summary>
    async Task UpdateIndexesAsync(List<(string Type, IndexEntry Entry)> indexed)
    {
        if (indexed.Count > 0)
        {
            await GrainFactory.GetGrain<ISearchIndexGrain>(0).UpsertAsync([.. indexed.Select(x => x.Entry)]);
        }
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
        // STIX 2.0 is upgraded to 2.1 first; the 2.1 form is what is validated and stored, the 2.0 text is kept beside it.
        Stix20Upgrade? upgrade = null;
        if (Stix20Detection.IsStix20(json))
        {
            try
            {
                upgrade = Stix20Upgrader.Upgrade(json, entry.Path);
            }
            catch (Stix20UpgradeException e)
            {
                return Rejected(entry.Index, NullIfEmpty(obj.Id), NullIfEmpty(obj.Type),
                    [new IngestIssue(e.Path, $"this STIX 2.0 object cannot be upgraded to 2.1: {e.Message}", IssueLevel.Error)]);
            }
            json = upgrade.Object;
            obj = new StixObject(json);
        }
        var issues = StixValidator.Validate(json, entry.Path).ToList();
        foreach (var o in upgrade?.Observables ?? [])
        {
            issues.AddRange(StixValidator.Validate(o.Object, o.Path));
        }
        var errors = issues.Where(i => i.Severity == IssueSeverity.Error).Select(ToIssue).ToList();
        var warnings = issues.Where(i => i.Severity == IssueSeverity.Warning).Select(ToIssue).ToList();
        if (upgrade is not null)
        {
            warnings.Insert(0, new IngestIssue(entry.Path, $"STIX 2.0 object upgraded to 2.1 ({string.Join("; ", upgrade.Changes)}); "
                + "the 2.0 original is kept (GraphQL originalStix20, GET /api/objects/{id}/stix20)", IssueLevel.Warning));
        }
        if (errors.Count > 0)
        {
            return new ObjectResult(entry.Index, NullIfEmpty(obj.Id), NullIfEmpty(obj.Type), UpsertOutcome.Rejected, errors, warnings);
        }
        accepted = new Accepted(slot, entry.Index, entry.Path, obj, warnings, entry.Origin)
        {
            Original = upgrade is null ? null : entry.Json,
            Derived = upgrade?.Observables ?? [],
        };
        return null;
    }

    static IngestIssue ToIssue(StixIssue i) =>
        new(i.Path, i.Message, i.Severity == IssueSeverity.Error ? IssueLevel.Error : IssueLevel.Warning);

    static ObjectResult Rejected(int index, string? id, string? type, IReadOnlyList<IngestIssue> errors) =>
        new(index, id, type, UpsertOutcome.Rejected, errors, []);

    static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <param name="ResultSlot">Position in the request (and in the results array); Index is the bundle position.</param>
    /// <param name="Markings">What the object's markings mean for access (set once marking definitions are resolved).</param>
    /// <param name="ParentSlot">For an observable taken out of a 2.0 observed-data: the observed-data's slot.</param>
    sealed record Accepted(int ResultSlot, int Index, string Path, StixObject Object, IReadOnlyList<IngestIssue> Warnings, ObjectOrigin? Origin,
        MarkingReading? Markings = null, int? ParentSlot = null)
    {
        /// <summary>The STIX 2.0 text the object was upgraded from (null when it came as 2.1).</summary>
        public string? Original { get; init; }

        /// <summary>The observables of an upgraded 2.0 observed-data, to be written as objects of their own.</summary>
        public IReadOnlyList<Stix20Observable> Derived { get; init; } = [];

        public Accepted WithMarkings(Func<string, MarkingDefinitionKind?> known)
        {
            var reading = MarkingInterpreter.Read(Object.Json, known);
            return this with
            {
                Markings = reading,
                Warnings = [.. Warnings, .. reading.Warnings.Select(w => new IngestIssue($"{Path}.{w.Path}", w.Message, IssueLevel.Warning))],
            };
        }
    }
}
