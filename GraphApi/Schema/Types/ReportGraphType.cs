namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class ReportGraphType : StixObjectGraphType
{
    public ReportGraphType() : base("Report", "report: a collection of threat intelligence focused on one or more topics.", OfTypes("report"))
    {
        StringField("published", "published");
        StringListField("reportTypes", "report_types");
        StringListField("objectRefs", "object_refs");
    }
}
