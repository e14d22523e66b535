using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

public sealed class TestSubscription : ObjectGraphType
{
    public TestSubscription()
    {
        Name = "Subscription";
        Field<NonNullGraphType<IntGraphType>>("ticks")
            .Argument<NonNullGraphType<IntGraphType>>("count")
            .ResolveStream(ctx => new TicksObservable(ctx.GetArgument<int>("count"), ctx.RequestServices!.GetRequiredService<TickProbe>()));
        Field<NonNullGraphType<StringGraphType>>("manual")
            .ResolveStream(ctx => ctx.RequestServices!.GetRequiredService<ManualSource>());
    }
}
