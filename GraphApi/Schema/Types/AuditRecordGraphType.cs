using GraphQL.Types;
using ThreatGraph.Contracts.Audit;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class AuditRecordGraphType : ObjectGraphType<AuditRecord>
{
    public AuditRecordGraphType()
    {
        Name = "AuditRecord";
        Field<NonNullGraphType<StringGraphType>>("at").Resolve(c => c.Source.At.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("org").Resolve(c => c.Source.Org);
        Field<NonNullGraphType<StringGraphType>>("member").Resolve(c => c.Source.Member);
        Field<NonNullGraphType<StringGraphType>>("keyId").Resolve(c => c.Source.KeyId);
        Field<NonNullGraphType<StringGraphType>>("operation").Resolve(c => c.Source.Operation);
        Field<NonNullGraphType<BooleanGraphType>>("isWrite").Resolve(c => c.Source.IsWrite);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("objects").Resolve(c => c.Source.Objects);
        Field<NonNullGraphType<StringGraphType>>("outcome").Resolve(c => c.Source.Outcome);
    }
}
