using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts.Federation;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>
/// Pulls one peer up to date: page after page of <c>objects?added_after=checkpoint</c>, each page screened (what may
/// come in), ingested with its provenance, and only then the checkpoint moved to the page's last date_added. A crash
/// anywhere in a page replays that page on restart, and ingest makes the replay a no-op for what had already landed:
/// no gaps, no duplicates. A plain TAXII server (<see cref="FederationPeerKind.Taxii"/>) is paged by
/// <see cref="PlainTaxiiPuller"/>, and its objects' provenance is this deployment's record of the peer's settings.
/// </summary>
public sealed class FederationSync(
    TaxiiPeerClient client, PlainTaxiiPuller plain, IGrainFactory grains, IOptions<FederationOptions> federation, IOptions<CommunityOptions> community,
    AuditTrail audit, FederationMetrics metrics, TimeProvider clock, ILogger<FederationSync> log)
{
    /// <summary>Reads pages until the peer has no more. Throws when the peer cannot be read (the caller records it).</summary>
    public async Task PullAsync(FederationPeerOptions peer, CancellationToken cancel)
    {
        var status = grains.GetGrain<IFederationPeerGrain>(peer.Name);
        var checkpoint = (await status.GetStatusAsync()).Checkpoint;
        if (peer.Kind == FederationPeerKind.Taxii)
        {
            await plain.PullAsync(peer, checkpoint,
                async p => await status.RecordPageAsync(await ApplyAsync(peer, p.Page with { Objects = p.Fresh }, p.Checkpoint, o => PlainProvenance(peer, o, p.Page))),
                status.RecordCaughtUpAsync, cancel);
            return;
        }
        while (true)
        {
            var page = await client.GetObjectsAsync(peer, checkpoint, cancel);
            if (page.Objects.Count == 0)
            {
                await status.RecordCaughtUpAsync();
                return;
            }
            var result = await ApplyAsync(peer, page, checkpoint, Provenance.TakeFrom);
            await status.RecordPageAsync(result);
            var progressed = checkpoint is null || result.Checkpoint > checkpoint;
            checkpoint = result.Checkpoint;
            if (!page.More || !progressed)
            {
                return; // a peer that says "more" without moving date_added forward is polled again later, not in a loop
            }
        }
    }

    /// <summary>The provenance of an object from a plain TAXII server: the peer's configured organisation and deployment
    /// name, TLP from the object's markings or else the peer's default, reported when the page was added there. Such a
    /// server's own <c>x_threatgraph_provenance</c>, if any, is not trusted: it is taken off.</summary>
    (Provenance?, string?) PlainProvenance(FederationPeerOptions peer, JsonObject obj, PulledPage page)
    {
        obj.Remove(Provenance.Property);
        var added = page.DateAddedLast ?? clock.GetUtcNow(); // a server that does not say when: when it reached us
        return (new Provenance(peer.DeploymentName, peer.Organisation, Provenance.TlpOf(peer.DefaultTlp) ?? TlpLevel.Red, added, added), null);
    }

    async Task<FederationPageResult> ApplyAsync(FederationPeerOptions peer, PulledPage page, DateTimeOffset? checkpoint,
        Func<JsonObject, (Provenance?, string?)> provenanceOf)
    {
        var entries = new List<IngestEntry>();
        var refusals = new List<(string Id, string Reason)>();
        var echoes = 0;
        var newest = checkpoint ?? DateTimeOffset.MinValue;
        for (var i = 0; i < page.Objects.Count; i++)
        {
            var obj = page.Objects[i];
            var (provenance, error) = provenanceOf(obj);
            if (provenance is not null && provenance.DateAdded > newest)
            {
                newest = provenance.DateAdded;
            }
            error ??= Refusal(peer, obj, provenance!);
            if (error is not null)
            {
                refusals.Add((Id(obj), error));
            }
            else if (provenance!.Deployment == federation.Value.Deployment)
            {
                echoes++; // our own object, back from a peer that pulled it from us
            }
            else
            {
                entries.Add(new IngestEntry(i, $"$.objects[{i}]", obj.ToJsonString(),
                    new ObjectOrigin(provenance.Deployment, provenance.Org, provenance.Tlp, provenance.ReportedAt)));
            }
        }

        int applied = 0, unchanged = echoes;
        if (entries.Count > 0)
        {
            var report = await CallerContext.AsSystemAsync(() => grains.GetGrain<IIngestGrain>(0).IngestAsync(new IngestRequest(null, entries)));
            foreach (var r in report.Objects)
            {
                switch (r.Outcome)
                {
                    case UpsertOutcome.Created or UpsertOutcome.Updated: applied++; break;
                    case UpsertOutcome.Unchanged: unchanged++; break;
                    default: refusals.Add((r.Id ?? "?", string.Join("; ", r.Errors.Select(e => e.Message)))); break;
                }
            }
        }

        var last = page.DateAddedLast ?? newest;
        var lag = Math.Max(0, (clock.GetUtcNow() - newest).TotalSeconds);
        metrics.Page(peer.Name, applied, unchanged, refusals.Count, lag);
        audit.Record(FederationCaller(peer), $"federation pull from {peer.Name}", true,
            entries.Select(e => Id(page.Objects[e.Index])), $"applied {applied}, unchanged {unchanged}, refused {refusals.Count}");
        if (refusals.Count > 0)
        {
            log.LogWarning("Federation: {Count} objects from {Peer} refused, e.g. {Id}: {Reason}", refusals.Count, peer.Name, refusals[0].Id, refusals[0].Reason);
        }
        log.LogInformation("Federation: {Peer} page applied ({Applied} new, {Unchanged} unchanged, {Refused} refused), lag {Lag:F1} s",
            peer.Name, applied, unchanged, refusals.Count, lag);
        return new FederationPageResult(last, applied, unchanged, refusals.Count, lag, !page.More,
            // The status names no ids: a refused object is one its readers here may not see.
            refusals.Count > 0 ? $"{refusals.Count} refused, e.g. {refusals[0].Reason}" : null);
    }

    /// <summary>Why an object may not come in from this peer (null: it may). The sender applies the same rules; this is
    /// the receiver not trusting it to.</summary>
    string? Refusal(FederationPeerOptions peer, JsonObject obj, Provenance provenance)
    {
        var accepted = peer.AcceptOrgs.Count > 0 ? peer.AcceptOrgs.Contains(provenance.Org) : community.Value.Organisations.ContainsKey(provenance.Org);
        if (!accepted)
        {
            return $"reported by '{provenance.Org}', which this deployment does not accept from peer '{peer.Name}'";
        }
        var markings = obj["object_marking_refs"] is JsonArray refs ? refs.Select(r => r?.GetValue<string>() ?? "") : [];
        var tlp = Tlp.Strictest(markings) ?? provenance.Tlp;
        return tlp switch
        {
            TlpLevel.Red or TlpLevel.AmberStrict => $"TLP:{Provenance.NameOf(tlp).ToUpperInvariant()} never leaves the deployment it was reported to",
            TlpLevel.Amber when !(obj[ThreatGraph.Contracts.Security.AccessDescriptor.RecipientsProperty] is JsonArray r && r.Any(x => x?.GetValue<string>() == peer.ReceivingOrg))
                => $"TLP:AMBER not shared with {peer.ReceivingOrg}",
            _ => null,
        };
    }

    static string Id(JsonObject obj) => obj["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : "?";

    /// <summary>Who the audit log names for federation writes.</summary>
    static CallerIdentity FederationCaller(FederationPeerOptions peer) =>
        new(CallerIdentity.SystemOrg, $"federation/{peer.Name}", "federation:" + peer.Name, [CallerIdentity.FederationRole]);
}
