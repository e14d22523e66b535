using ThreatGraph.Contracts.Model;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Ingest;

/// <summary>
/// The first step of <see cref="IngestGrain"/>'s validation stage: an entry's text to a JSON object, or the reason it
/// is rejected. The same strictness as the gateway (<see cref="StixJsonStrictness"/>), because enrichment jobs and
/// federation call the grain directly: a lone surrogate (escaped or raw), a duplicate property, more than
/// <see cref="IngestOptions.MaxObjectBytes"/>, malformed JSON. Whatever is accepted here can be read and written by
/// System.Text.Json without throwing, so nothing later in the pipeline fails half-way on the object's JSON.
/// </summary>
public static class IngestEntryReader
{
    /// <returns>The object, or null with <paramref name="rejection"/> set (path and message).</returns>
    public static JsonObject? Read(IngestEntry entry, int maxObjectBytes, out IngestIssue? rejection)
    {
        rejection = null;
        if (entry.Json is null)
        {
            rejection = new IngestIssue(entry.Path, "a bundle element must be a JSON object", IssueLevel.Error);
            return null;
        }
        if (StixJsonStrictness.Check(entry.Json, entry.Path, maxObjectBytes, out var utf8) is { } problem)
        {
            rejection = new IngestIssue(problem.Path, problem.Message, IssueLevel.Error);
            return null;
        }
        try
        {
            if (JsonNode.Parse(utf8!, documentOptions: StixJsonStrictness.DocumentOptions) is JsonObject json)
            {
                return json;
            }
            rejection = new IngestIssue(entry.Path, "a bundle element must be a JSON object", IssueLevel.Error);
            return null;
        }
        catch (JsonException e)
        {
            rejection = new IngestIssue(entry.Path, "malformed JSON: " + e.Message, IssueLevel.Error);
            return null;
        }
    }

    /// <summary>Every entry rejected when the request has more than <paramref name="maxObjects"/>; else null.</summary>
    public static IReadOnlyList<ObjectResult>? RefuseOversizeRequest(IngestRequest request, int maxObjects)
    {
        if (request.Entries.Count <= maxObjects)
        {
            return null;
        }
        var message = $"the call has {request.Entries.Count} objects; the limit is {maxObjects} per call (Ingest:MaxObjectsPerCall); "
            + "split it (DependencyOrder.Chunks), nothing was written";
        return [.. request.Entries.Select(e => new ObjectResult(e.Index, null, null, UpsertOutcome.Rejected,
            [new IngestIssue(e.Path, message, IssueLevel.Error)], []))];
    }
}
