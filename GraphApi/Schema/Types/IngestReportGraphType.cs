using GraphQL.Types;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class IngestReportGraphType : ObjectGraphType<IngestReport>
{
    public IngestReportGraphType()
    {
        Name = "IngestReport";
        Field<StringGraphType>("bundleId").Resolve(c => c.Source.BundleId);
        Field<NonNullGraphType<IngestTotalsGraphType>>("totals").Resolve(c => c.Source.Totals);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ObjectResultGraphType>>>>("objects")
            .Description("One result per bundle element, in bundle order.").Resolve(c => c.Source.Objects);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IngestIssueGraphType>>>>("envelopeIssues")
            .Description("Problems of the bundle wrapper itself.").Resolve(c => c.Source.EnvelopeIssues);
    }
}

public sealed class IngestTotalsGraphType : ObjectGraphType<IngestTotals>
{
    public IngestTotalsGraphType()
    {
        Name = "IngestTotals";
        Field<NonNullGraphType<IntGraphType>>("created").Resolve(c => c.Source.Created);
        Field<NonNullGraphType<IntGraphType>>("updated").Resolve(c => c.Source.Updated);
        Field<NonNullGraphType<IntGraphType>>("unchanged").Resolve(c => c.Source.Unchanged);
        Field<NonNullGraphType<IntGraphType>>("rejected").Resolve(c => c.Source.Rejected);
        Field<NonNullGraphType<IntGraphType>>("total").Resolve(c => c.Source.Total);
    }
}

public sealed class ObjectResultGraphType : ObjectGraphType<ObjectResult>
{
    public ObjectResultGraphType()
    {
        Name = "ObjectResult";
        Field<NonNullGraphType<IntGraphType>>("index").Resolve(c => c.Source.Index);
        Field<IdGraphType>("id").Resolve(c => c.Source.Id);
        Field<StringGraphType>("type").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<OutcomeGraphType>>("outcome").Resolve(c => c.Source.Outcome);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IngestIssueGraphType>>>>("errors").Resolve(c => c.Source.Errors);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IngestIssueGraphType>>>>("warnings").Resolve(c => c.Source.Warnings);
    }
}

public sealed class OutcomeGraphType : EnumerationGraphType<UpsertOutcome>
{
    public OutcomeGraphType() => Name = "IngestOutcome";
}

public sealed class IngestIssueGraphType : ObjectGraphType<IngestIssue>
{
    public IngestIssueGraphType()
    {
        Name = "IngestIssue";
        Field<NonNullGraphType<StringGraphType>>("path").Description("JSON path in the bundle, e.g. $.objects[3].modified").Resolve(c => c.Source.Path);
        Field<NonNullGraphType<StringGraphType>>("message").Resolve(c => c.Source.Message);
        Field<NonNullGraphType<StringGraphType>>("level").Resolve(c => c.Source.Level == IssueLevel.Error ? "error" : "warning");
    }
}
