using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Concurrency;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Grains.Enrichment;

/// <summary>
/// The one place where a job's output becomes graph content (see <see cref="IEnrichmentWriterGrain"/>): every check
/// happens before the first write, so a refused or invalid result writes nothing; the accepted objects go through the
/// ordinary ingest pipeline as the job's identity.
/// </summary>
[StatelessWorker]
public sealed class EnrichmentWriterGrain(AccessPolicy policy) : Grain, IEnrichmentWriterGrain
{
    public async Task<EnrichmentWriteResult> WriteAsync(EnrichmentWrite write)
    {
        var caller = CallerContext.Current;
        if (Refusal(caller, write) is { } refusal)
        {
            return EnrichmentWriteResult.Failure(refusal, refused: true);
        }
        var input = await GrainFactory.GetNode(write.InputId).GetViewAsync();
        if (input is null || input.IsPlaceholder || input.Access is null)
        {
            return EnrichmentWriteResult.Failure($"{write.InputId} is unknown or not visible to {caller.Member}");
        }
        if (write.Objects.Count == 0)
        {
            return new EnrichmentWriteResult(0, 0, 0, null);
        }
        var parsed = new List<JsonObject>(write.Objects.Count);
        for (var i = 0; i < write.Objects.Count; i++)
        {
            var (json, error) = Parse(write, i);
            if (error is not null)
            {
                return EnrichmentWriteResult.Failure(error);
            }
            parsed.Add(json!);
        }
        var sources = await ViewsAsync(parsed.SelectMany(DerivedAccess.ReferencedIds).Where(id => id != write.InputId));
        var prepared = new List<string>(parsed.Count);
        for (var i = 0; i < parsed.Count; i++)
        {
            var referenced = DerivedAccess.ReferencedIds(parsed[i]).Select(id => sources.GetValueOrDefault(id)).OfType<NodeView>();
            DerivedAccess.Apply(parsed[i], [input, .. referenced]);
            var errors = StixValidator.Validate(parsed[i], $"derived object {i}").Where(e => e.Severity == IssueSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                return EnrichmentWriteResult.Failure($"{new StixObject(parsed[i]).Id}: not valid STIX ({string.Join("; ", errors.Take(3).Select(e => $"{e.Path}: {e.Message}"))})");
            }
            prepared.Add(parsed[i].ToJsonString(StixJson.CompactOptions));
        }
        var request = new IngestRequest($"bundle--{Guid.NewGuid()}", [.. prepared.Select((j, i) => new IngestEntry(i, $"$.objects[{i}]", j))]);
        var report = await GrainFactory.GetGrain<IIngestGrain>(0).IngestAsync(request);
        if (report.Objects.FirstOrDefault(o => o.Outcome == UpsertOutcome.Rejected) is { } rejected)
        {
            return EnrichmentWriteResult.Failure($"{rejected.Id ?? (rejected.Errors is [var first, ..] ? first.Path : "an object")}: {string.Join("; ", rejected.Errors.Select(e => e.Message))}");
        }
        return new EnrichmentWriteResult(report.Totals.Created, report.Totals.Updated, report.Totals.Unchanged, null);
    }

    /// <summary>Why this caller may not write as this job at all (null: it may).</summary>
    string? Refusal(CallerIdentity caller, EnrichmentWrite write)
    {
        if (caller.IsAnonymous || caller.IsSystem || !caller.HasRole(EnrichmentJobs.Role))
        {
            return $"{Describe(caller)} lacks the '{EnrichmentJobs.Role}' role: a job runs as an organisation member with that role";
        }
        if (!policy.Community.Organisations.TryGetValue(caller.Org, out var org))
        {
            return $"{caller.Org} is not an organisation of this community";
        }
        if (!org.IdentityIds.Contains(write.IdentityId))
        {
            return $"{write.IdentityId} is not an identity of {caller.Org}: a job writes only as its own organisation";
        }
        return EnrichmentJobs.IsValidName(write.Job) ? null : $"'{write.Job}' is not a job name (lower-case letters, digits, dashes)";
    }

    /// <summary>What the job's output points at, as the job sees it (hidden or unknown: left out, the graph hides edges to them).</summary>
    async Task<Dictionary<string, NodeView>> ViewsAsync(IEnumerable<string> ids)
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        var views = await Task.WhenAll(distinct.Select(id => GrainFactory.GetNode(id).GetViewAsync()));
        return views.OfType<NodeView>().Where(v => !v.IsPlaceholder).ToDictionary(v => v.Id, StringComparer.Ordinal);
    }

    /// <summary>The derived object stamped with the job's identity and name, or why it cannot be written.</summary>
    static (JsonObject? Json, string? Error) Parse(EnrichmentWrite write, int index)
    {
        var path = $"derived object {index}";
        JsonObject json;
        try
        {
            json = JsonNode.Parse(write.Objects[index]) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            return (null, $"{path} is not a JSON object: {e.Message}");
        }
        var obj = new StixObject(json);
        if (obj.Id == write.InputId)
        {
            return (null, $"{path} is the input itself: a job derives new objects, it never rewrites what it enriches");
        }
        if (obj.Kind == StixKind.MarkingDefinition)
        {
            return (null, $"{path} is a marking definition: a job may not define markings");
        }
        if (obj.Kind != StixKind.Observable)
        {
            if (obj.CreatedByRef is { } creator && creator != write.IdentityId)
            {
                return (null, $"{path} names {creator} as created_by_ref: a job writes only as its own identity ({write.IdentityId})");
            }
            json["created_by_ref"] = write.IdentityId;
        }
        json[EnrichmentJobs.JobProperty] = write.Job;
        return (json, null);
    }

    static string Describe(CallerIdentity caller) => caller.IsAnonymous ? "an anonymous caller" : caller.IsSystem ? "the system" : caller.Member;
}
