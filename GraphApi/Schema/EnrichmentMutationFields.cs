using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Security;
using ThreatGraph.Stix;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>
/// <c>enrich(ids, job)</c> queues objects for a job (the enrichment host picks them up at its next poll);
/// <c>rejectEnrichment(id, reason)</c> revokes what a job derived and keeps the job from writing it again. Both audited.
/// </summary>
public static class EnrichmentMutationFields
{
    public const int MaxIds = 1000;
    public const int MaxReasonLength = 1000;

    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<IntGraphType>>("enrich")
            .Description($"Ask one of your organisation's enrichment jobs to enrich these objects (at most {MaxIds}, each one you can see). "
                + "Answers how many requests the job has waiting; enrichmentJobs shows when they are done.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids")
            .Argument<NonNullGraphType<StringGraphType>>("job")
            .ResolveAsync(async c =>
            {
                var caller = CallerContext.Current;
                var name = c.GetArgument<string>("job");
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var job = grains.GetGrain<IEnrichmentJobGrain>(name);
                await EnrichmentAccess.RequireMayRequestAsync(c, caller, EnrichmentJobs.IsValidName(name) ? await job.GetStatusAsync() : null, name);
                var ids = c.GetArgument<List<string>>("ids").Distinct(StringComparer.Ordinal).ToList();
                if (ids.Count is 0 or > MaxIds)
                {
                    throw new ExecutionError($"ids: give between 1 and {MaxIds} ids, not {ids.Count}") { Code = "BAD_ARGUMENT" };
                }
                if (ids.FirstOrDefault(id => !StixId.IsValid(id)) is { } bad)
                {
                    throw new ExecutionError($"'{bad}' is not a STIX id") { Code = "BAD_ID" };
                }
                var views = await Task.WhenAll(ids.Select(id => grains.GetNode(id).GetViewAsync()));
                var missing = ids.Where((_, i) => views[i] is null || views[i]!.IsPlaceholder).ToList();
                if (missing.Count > 0)
                {
                    throw new ExecutionError($"unknown or not visible to you: {string.Join(", ", missing.Take(10))}") { Code = "NOT_FOUND" };
                }
                int waiting;
                try
                {
                    waiting = await job.RequestAsync(ids);
                }
                catch (InvalidOperationException e)
                {
                    throw new ExecutionError(e.Message) { Code = "QUEUE_FULL" };
                }
                c.RequestServices!.GetRequiredService<AuditTrail>().Record(caller, $"enrichment requested ({name})", true, ids, "ok");
                return waiting;
            });

        mutation.Field<NonNullGraphType<IdGraphType>>("rejectEnrichment")
            .Description("Reject an object an enrichment job derived (e.g. an alias match that is wrong), with a reason: it is revoked, "
                + "the job never writes it again, and the audit log records who and why. Analysts of the job's organisation only.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c =>
            {
                var caller = CallerContext.Current;
                var id = Arguments.StixId(c);
                var reason = c.GetArgument<string>("reason").Trim();
                if (reason.Length is 0 or > MaxReasonLength)
                {
                    throw new ExecutionError($"reason: say why, in 1 to {MaxReasonLength} characters") { Code = "BAD_ARGUMENT" };
                }
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var view = await grains.GetNode(id).GetViewAsync();
                if (view?.Json is null || JsonNode.Parse(view.Json) is not JsonObject stix)
                {
                    throw new ExecutionError($"{id} is unknown or not visible to you") { Code = "NOT_FOUND" };
                }
                if (stix[EnrichmentJobs.JobProperty] is not JsonValue v || !v.TryGetValue(out string? name) || !EnrichmentJobs.IsValidName(name))
                {
                    throw new ExecutionError($"{id} was not derived by an enrichment job") { Code = "BAD_ARGUMENT" };
                }
                var job = grains.GetGrain<IEnrichmentJobGrain>(name);
                await EnrichmentAccess.RequireMayRejectAsync(c, caller, await job.GetStatusAsync(), name);
                await job.RejectAsync(id);
                if (!view.Revoked)
                {
                    await RevokeAsync(grains, stix, c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow());
                }
                c.RequestServices!.GetRequiredService<AuditTrail>().Record(caller, $"enrichment rejected ({name}): {reason}", true, [id], "ok");
                return id;
            });
    }

    /// <summary>A newer version of the derived object, revoked, written as the rejecting analyst.</summary>
    static async Task RevokeAsync(IGrainFactory grains, JsonObject stix, DateTimeOffset now)
    {
        var previous = new StixObject(stix).Modified ?? DateTimeOffset.MinValue;
        stix["revoked"] = true;
        stix["modified"] = StixTimestamp.Format(now > previous ? now : previous.AddMilliseconds(1));
        var report = await grains.GetGrain<IIngestGrain>(0).IngestAsync(
            new IngestRequest(null, [new IngestEntry(0, "$", stix.ToJsonString(StixJson.CompactOptions))]));
        if (report.Objects is [{ Outcome: UpsertOutcome.Rejected } rejected])
        {
            throw new ExecutionError($"the rejection is recorded, but revoking failed: {string.Join("; ", rejected.Errors.Select(e => e.Message))}") { Code = "REVOKE_FAILED" };
        }
    }
}
