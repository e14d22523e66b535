using ThreatGraph.Contracts.Model;

namespace ThreatGraph.Contracts.Ingest;

/// <summary>One element of a bundle's <c>objects</c>, as text: parsing and validation happen in the ingest worker.</summary>
/// <param name="Json">Null when the element is not a JSON object.</param>
/// <param name="Origin">Set by federation only (system callers): who reported the object at the peer it came from.</param>
[GenerateSerializer, Immutable, Alias("tg.IngestEntry")]
public sealed record IngestEntry(
    [property: Id(0)] int Index,
    [property: Id(1)] string Path,
    [property: Id(2)] string? Json,
    [property: Id(3)] ObjectOrigin? Origin = null);

/// <summary>Provenance of an object pulled from a peer deployment (README "Share with a peer").</summary>
/// <param name="Deployment">The deployment it was first reported to.</param>
/// <param name="Org">The organisation that reported it there.</param>
/// <param name="Tlp">The TLP it had there (its marking, or the reporter's default when unmarked).</param>
/// <param name="ReportedAt">Its date_added at the origin.</param>
[GenerateSerializer, Immutable, Alias("tg.ObjectOrigin")]
public sealed record ObjectOrigin(
    [property: Id(0)] string Deployment,
    [property: Id(1)] string Org,
    [property: Id(2)] ThreatGraph.Stix.Markings.TlpLevel Tlp,
    [property: Id(3)] DateTimeOffset ReportedAt)
{
    /// <summary>How a deployment tells its peers an object's provenance (never stored as part of the object).</summary>
    public const string Property = "x_threatgraph_provenance";
}

[GenerateSerializer, Immutable, Alias("tg.IngestRequest")]
public sealed record IngestRequest(
    [property: Id(0)] string? BundleId,
    [property: Id(1)] IReadOnlyList<IngestEntry> Entries);

public enum IssueLevel { Error, Warning }

[GenerateSerializer, Immutable, Alias("tg.IngestIssue")]
public sealed record IngestIssue([property: Id(0)] string Path, [property: Id(1)] string Message, [property: Id(2)] IssueLevel Level);

/// <summary>What happened to one object. Errors is non-empty exactly when Outcome is Rejected.</summary>
[GenerateSerializer, Immutable, Alias("tg.ObjectResult")]
public sealed record ObjectResult(
    [property: Id(0)] int Index,
    [property: Id(1)] string? Id,
    [property: Id(2)] string? Type,
    [property: Id(3)] UpsertOutcome Outcome,
    [property: Id(4)] IReadOnlyList<IngestIssue> Errors,
    [property: Id(5)] IReadOnlyList<IngestIssue> Warnings);

[GenerateSerializer, Immutable, Alias("tg.IngestTotals")]
public sealed record IngestTotals(
    [property: Id(0)] int Created, [property: Id(1)] int Updated, [property: Id(2)] int Unchanged, [property: Id(3)] int Rejected)
{
    public int Total => Created + Updated + Unchanged + Rejected;

    public static IngestTotals Of(IEnumerable<ObjectResult> results)
    {
        int c = 0, u = 0, n = 0, r = 0;
        foreach (var x in results)
        {
            switch (x.Outcome)
            {
                case UpsertOutcome.Created: c++; break;
                case UpsertOutcome.Updated: u++; break;
                case UpsertOutcome.Unchanged: n++; break;
                default: r++; break;
            }
        }
        return new(c, u, n, r);
    }
}

/// <summary>The answer to an ingest: one result per bundle element, in bundle order, and totals.</summary>
[GenerateSerializer, Immutable, Alias("tg.IngestReport")]
public sealed record IngestReport(
    [property: Id(0)] string? BundleId,
    [property: Id(1)] IReadOnlyList<ObjectResult> Objects,
    [property: Id(2)] IngestTotals Totals,
    [property: Id(3)] IReadOnlyList<IngestIssue> EnvelopeIssues);
