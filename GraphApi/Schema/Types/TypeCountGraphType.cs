using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed record TypeCount(string Type, int Count);

public sealed class TypeCountGraphType : ObjectGraphType<TypeCount>
{
    public TypeCountGraphType()
    {
        Name = "TypeCount";
        Field<NonNullGraphType<StringGraphType>>("type").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<IntGraphType>>("count").Resolve(c => c.Source.Count);
    }
}
