using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.GraphApi.Security;
using ThreatGraph.Stix.Severity;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>Mutation <c>setIncidentSeverity</c>: an analyst's override of an incident's severity, with a reason.</summary>
public static class SeverityMutationFields
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<IncidentSeverityGraphType>>("setIncidentSeverity")
            .Description("Override an incident's severity (level 0 BASELINE … 5 EMERGENCY), or clear the override (level null), with a reason. "
                + "Only analysts of the organisation that reported the incident; recorded in the audit log with the reason. "
                + "Subscribers of its campaigns get SEVERITY_CHANGE when their rollup moves.")
            .Argument<NonNullGraphType<IdGraphType>>("incidentId")
            .Argument<IntGraphType>("level")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c =>
            {
                await c.RequirePolicyAsync(Roles.Analyst);
                var id = Arguments.StixId(c, "incidentId");
                if (!id.StartsWith("incident--", StringComparison.Ordinal))
                {
                    throw new ExecutionError($"incidentId: {id} is not an incident id") { Code = "BAD_ARGUMENT" };
                }
                var level = c.GetArgument<int?>("level");
                var reason = c.GetArgument<string>("reason");
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var caller = ThreatGraphClaims.Caller(c.User);
                var result = await grains.Reference<IIncidentGrain>(id).SetSeverityAsync(level, reason);
                if (result.Error is { } error)
                {
                    throw new ExecutionError(error) { Code = result.ErrorCode };
                }
                CommonFields.Loader(c).Touch([id]);
                var name = level is { } l ? NcissLevels.Name((NcissLevel)l) : "cleared";
                c.RequestServices!.GetRequiredService<AuditTrail>().Record(caller, $"severity override {name}: {reason.Trim()}", true, [id], "ok");
                if (result.Changed)
                {
                    await grains.GetGrain<ICorrelationGrain>(0).SeverityChangedAsync([id]);
                }
                return result.Severity;
            });
}
