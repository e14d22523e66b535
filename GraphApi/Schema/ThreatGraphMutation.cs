using System.Text;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.Hosting;
using ThreatGraph.GraphApi.Ingest;
using ThreatGraph.GraphApi.Schema.Types;
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
                var bytes = Encoding.UTF8.GetBytes(c.GetArgument<string>("bundle"));
                var max = c.RequestServices!.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBundleBytes;
                if (bytes.Length > max)
                {
                    throw new ExecutionError($"bundle is {bytes.Length} bytes; the limit is {max} (Api:MaxBundleBytes)") { Code = "BUNDLE_TOO_LARGE" };
                }
                try
                {
                    return await c.RequestServices!.GetRequiredService<BundleIngestService>().IngestAsync(bytes);
                }
                catch (StixJsonException e)
                {
                    throw new ExecutionError(e.Message) { Code = "MALFORMED_JSON" };
                }
            });
    }
}
