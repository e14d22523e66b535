using System.Globalization;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.GraphApi.Security;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>The audit log query (auditor role only; an auditor reads its own organisation's records, README "Audit").</summary>
public static class AuditQueryFields
{
    public const int MaxHours = 24 * 7;

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditRecordGraphType>>>>("auditLog")
            .Description("Audit records between two instants (ISO 8601, UTC; at most 7 days), newest last. Needs the 'auditor' role.")
            .Argument<NonNullGraphType<StringGraphType>>("from")
            .Argument<StringGraphType>("to")
            .Argument<StringGraphType>("org")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .ResolveAsync(async c =>
            {
                await c.RequirePolicyAsync(Roles.Auditor);
                var auditor = ThreatGraphClaims.Caller(c.User);
                var org = c.GetArgument<string?>("org");
                if (org is not null && org != auditor.Org)
                {
                    // The same answer for every other organisation, whether it exists or has records: it tells nothing.
                    throw new ExecutionError("an auditor reads its own organisation's audit records only; leave out 'org' or give your own") { Code = "FORBIDDEN" };
                }
                var from = Instant(c, "from") ?? throw new ExecutionError("'from' is required");
                var to = Instant(c, "to") ?? DateTimeOffset.UtcNow;
                if (to < from || (to - from).TotalHours > MaxHours)
                {
                    throw new ExecutionError($"'to' must be after 'from' and at most {MaxHours} hours later") { Code = "BAD_ARGUMENT" };
                }
                var first = Arguments.Range(c, "first", 1, 1000);
                var scope = AuditScope.For(auditor, c.RequestServices!.GetRequiredService<IOptions<FederationOptions>>().Value);
                await c.RequestServices!.GetRequiredService<AuditTrail>().FlushAsync();
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var page = await AuditLogReader.ReadAsync(grains, scope, from, to, first);
                CallerContext.Set(auditor); // the object ids are checked as the auditor
                return await AuditScope.VisibleObjectsAsync(grains, page);
            });
    }

    static DateTimeOffset? Instant(IResolveFieldContext c, string name)
    {
        var text = c.GetArgument<string?>(name);
        if (text is null)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new ExecutionError($"'{name}' is not an ISO 8601 instant: {text}") { Code = "BAD_ARGUMENT" };
    }
}
