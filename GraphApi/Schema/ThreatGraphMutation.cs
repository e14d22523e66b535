using System.Text;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.Hosting;
using ThreatGraph.GraphApi.Ingest;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.GraphApi.Security;
using ThreatGraph.Stix;

namespace ThreatGraph.GraphApi.Schema;

public sealed class ThreatGraphMutation : ObjectGraphType
{
    public ThreatGraphMutation()
    {
        Name = "Mutation";
        Field<NonNullGraphType<IngestReportGraphType>>("ingestBundle")
            .Description("Ingest a STIX 2.1 bundle given as JSON text. Same outcome per object as POST /api/bundles.")
            .Argument<NonNullGraphType<StringGraphType>>("bundle")
            .ResolveAsync(async c =>
            {
                await c.RequirePolicyAsync(Roles.Ingest);
                var text = c.GetArgument<string>("bundle");
                if (StixJsonStrictness.IndexOfLoneSurrogate(text) is var lone and >= 0)
                {
                    // Encoding it as UTF-8 would silently turn it into U+FFFD.
                    throw new ExecutionError($"the bundle holds a lone surrogate (U+{(int)text[lone]:X4}, a UTF-16 code unit without its pair) at character {lone}; it is not Unicode text")
                    { Code = "LONE_SURROGATE" };
                }
                var bytes = Encoding.UTF8.GetBytes(text);
                var max = c.RequestServices!.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBundleBytes;
                if (bytes.Length > max)
                {
                    throw new ExecutionError($"bundle is {bytes.Length} bytes; the limit is {max} (Api:MaxBundleBytes)") { Code = "BUNDLE_TOO_LARGE" };
                }
                try
                {
                    var report = await c.RequestServices!.GetRequiredService<BundleIngestService>().IngestAsync(bytes);
                    CommonFields.Loader(c).Touch(report.Objects.Where(o => o.Id is not null && o.Outcome != ThreatGraph.Contracts.Model.UpsertOutcome.Rejected).Select(o => o.Id!));
                    return report;
                }
                catch (StixJsonException e)
                {
                    throw new ExecutionError(e.Message) { Code = BundleIngestService.CodeOf(e) };
                }
                catch (IngestRefusedException e)
                {
                    // The message says when to retry ("retry after N s"): a GraphQL field error has no headers.
                    throw new ExecutionError(e.Message) { Code = e.Code };
                }
            });
        SeverityMutationFields.AddTo(this);
    }
}
