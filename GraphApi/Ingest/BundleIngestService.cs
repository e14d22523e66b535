using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Validation;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.GraphApi.Ingest;

/// <summary>
/// Bundle or TAXII envelope → limits → ingest worker → report. Shared by REST <c>POST /api/bundles</c>, the GraphQL
/// mutation and TAXII <c>POST …/objects/</c>, so the three answer the same input the same way:
/// <list type="number">
/// <item>the body is read strictly (<see cref="BundleReader"/>): not UTF-8, not JSON, or a problem in the envelope →
/// <see cref="StixJsonException"/> (400), nothing written;</item>
/// <item>more than <see cref="IngestQuotaOptions.MaxObjectsPerRequest"/> objects → 413, nothing written;</item>
/// <item>the organisation's write quota (<see cref="WriteQuota"/>) → 429 when short, nothing written;</item>
/// <item>an object with a duplicate property, a lone surrogate or more than <see cref="IngestQuotaOptions.MaxObjectBytes"/>
/// is rejected here, with its path, and never sent to the worker; the others are ingested.</item>
/// </list>
/// </summary>
public sealed class BundleIngestService(IGrainFactory grains, IOptions<IngestQuotaOptions> options, WriteQuota quota) : IDisposable
{
    readonly SemaphoreSlim _callsInFlight = new(options.Value.CallsInFlight > 0 ? options.Value.CallsInFlight : Environment.ProcessorCount);

    public void Dispose() => _callsInFlight.Dispose();

    /// <summary>Reads a STIX bundle (REST, GraphQL) strictly; see <see cref="IngestAsync(BundleReadResult, long)"/>.</summary>
    /// <exception cref="StixJsonException">The body cannot be read (the message says where and why).</exception>
    /// <exception cref="IngestRefusedException">Too many objects, or over the write quota.</exception>
    public Task<IngestReport> IngestAsync(ReadOnlyMemory<byte> utf8) =>
        IngestAsync(BundleReader.Read(utf8.Span, options.Value.MaxObjectBytes), utf8.Length);

    /// <summary>Reads a TAXII envelope strictly (same rules as a bundle).</summary>
    public BundleReadResult ReadTaxiiEnvelope(ReadOnlySpan<byte> utf8) => BundleReader.ReadTaxiiEnvelope(utf8, options.Value.MaxObjectBytes);

    /// <summary>Ingests what was read, for the caller in <see cref="CallerContext"/>.</summary>
    /// <param name="requestBytes">Size of the body, charged to the organisation's byte quota.</param>
    /// <exception cref="IngestRefusedException">Too many objects, or over the write quota.</exception>
    public async Task<IngestReport> IngestAsync(BundleReadResult bundle, long requestBytes)
    {
        var limits = options.Value;
        if (bundle.Entries.Count > limits.MaxObjectsPerRequest)
        {
            throw new IngestRefusedException(StatusCodes.Status413PayloadTooLarge, IngestRefusedException.TooManyObjects,
                $"the request has {bundle.Entries.Count} objects; the limit is {limits.MaxObjectsPerRequest} (Ingest:MaxObjectsPerRequest); split it, nothing was written");
        }
        var caller = CallerContext.Current;
        if (!caller.IsAnonymous && !caller.IsSystem)
        {
            quota.Take(caller.Org, requestBytes, bundle.Entries.Count);
        }

        // Objects refused by the reader stay here; the others go to the worker, which answers them by index.
        var results = new ObjectResult?[bundle.Entries.Count];
        var entries = new List<IngestEntry>(bundle.Entries.Count);
        for (var i = 0; i < bundle.Entries.Count; i++)
        {
            var e = bundle.Entries[i];
            if (e.Problem is { } p)
            {
                results[i] = new ObjectResult(e.Index, e.Id, null, UpsertOutcome.Rejected, [new IngestIssue(p.Path, p.Message, IssueLevel.Error)], []);
            }
            else
            {
                entries.Add(new IngestEntry(e.Index, e.Path, e.Text));
            }
        }
        // Short turns: the worker gets the bundle in calls of a bounded size, in dependency order.
        var byIndex = bundle.Entries.Select((e, i) => (e.Index, i)).ToDictionary(x => x.Index, x => x.i);
        var workerIssues = new List<IngestIssue>();
        var chunks = DependencyOrder.Chunks([.. entries.Select(e => (IdOf(bundle, byIndex[e.Index]), e.Json?.Length ?? 0))],
            limits.ObjectsPerCall, limits.BytesPerCall);
        foreach (var chunk in chunks)
        {
            IngestReport worker;
            await _callsInFlight.WaitAsync();
            try
            {
                worker = await grains.GetGrain<IIngestGrain>(0).IngestAsync(new IngestRequest(bundle.BundleId, [.. chunk.Select(i => entries[i])]));
            }
            catch (TimeoutException)
            {
                var done = results.Count(r => r is not null);
                throw new IngestRefusedException(StatusCodes.Status503ServiceUnavailable, IngestRefusedException.Timeout,
                    $"the storage did not keep up: {done} of {bundle.Entries.Count} objects were answered before an ingest call timed out; " +
                    "nothing answered is lost; send the same request again in a few seconds (ingest is idempotent)", TimeSpan.FromSeconds(5));
            }
            finally
            {
                _callsInFlight.Release();
            }
            foreach (var r in worker.Objects)
            {
                results[byIndex[r.Index]] = r;
            }
            workerIssues.AddRange(worker.EnvelopeIssues);
        }
        var all = results.Select((r, i) => r ?? new ObjectResult(bundle.Entries[i].Index, bundle.Entries[i].Id, null, UpsertOutcome.Rejected,
            [new IngestIssue(bundle.Entries[i].Path, "not processed", IssueLevel.Error)], [])).ToList();

        var envelope = bundle.EnvelopeIssues
            .Select(i => new IngestIssue(i.Path, i.Message, i.Severity == IssueSeverity.Error ? IssueLevel.Error : IssueLevel.Warning))
            .ToList();
        return new IngestReport(bundle.BundleId, all, IngestTotals.Of(all), [.. envelope, .. workerIssues.Distinct()]);
    }

    static string? IdOf(BundleReadResult bundle, int position) => bundle.Entries[position].Id;

    /// <summary>The error code every path gives a body that cannot be read.</summary>
    public static string CodeOf(StixJsonException e) => e.Kind switch
    {
        StixJsonProblemKind.InvalidUtf8 => "INVALID_UTF8",
        StixJsonProblemKind.DuplicateProperty => "DUPLICATE_PROPERTY",
        StixJsonProblemKind.LoneSurrogate => "LONE_SURROGATE",
        _ => "MALFORMED_JSON",
    };
}
