using GraphQL;
using GraphQL.Types;

namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

public sealed class TestMutation : ObjectGraphType
{
    public TestMutation()
    {
        Name = "Mutation";
        Field<NonNullGraphType<StringGraphType>>("echo")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Resolve(ctx => ctx.GetArgument<string>("text"));
    }
}
