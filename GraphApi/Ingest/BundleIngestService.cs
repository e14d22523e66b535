using ThreatGraph.Grains.Ingest;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.GraphApi.Ingest;

/// <summary>Bundle text → ingest worker → report. Shared by REST <c>POST /api/bundles</c> and the GraphQL mutation.</summary>
public sealed class BundleIngestService(IGrainFactory grains)
{
    /// <exception cref="StixJsonException">Malformed JSON (line and column in the message).</exception>
    public async Task<IngestReport> IngestAsync(ReadOnlyMemory<byte> utf8)
    {
        var bundle = BundleReader.Read(utf8.Span);
        var entries = bundle.Entries
            .Select(e => new IngestEntry(e.Index, e.Path, e.Json?.ToJsonString(StixJson.CompactOptions)))
            .ToList();
        var report = entries.Count == 0
            ? new IngestReport(bundle.BundleId, [], new IngestTotals(0, 0, 0, 0), [])
            : await grains.GetGrain<IIngestGrain>(0).IngestAsync(new IngestRequest(bundle.BundleId, entries));
        var envelope = bundle.EnvelopeIssues
            .Select(i => new IngestIssue(i.Path, i.Message, i.Severity == IssueSeverity.Error ? IssueLevel.Error : IssueLevel.Warning))
            .ToList();
        return report with { EnvelopeIssues = [.. envelope, .. report.EnvelopeIssues] };
    }
}
