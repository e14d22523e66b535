using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

public sealed class TestQuery : ObjectGraphType
{
    public TestQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<StringGraphType>>("hello")
            .Argument<StringGraphType>("name")
            .Resolve(ctx => $"Hello, {ctx.GetArgument<string?>("name") ?? "world"}!");
        Field<StringGraphType>("boom")
            .Resolve(_ => throw new InvalidOperationException("secret detail"));
        Field<StringGraphType>("caller")
            .Resolve(ctx => ctx.UserContext.TryGetValue("caller", out var caller) ? caller as string : null);
        Field<StringGraphType>("whoami")
            .Resolve(ctx => ctx.User?.Identity?.Name);
        Field<NonNullGraphType<StringGraphType>>("scopeId")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<ScopeProbe>().Id.ToString());
        Field<StringGraphType>("wait")
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<WaitProbe>().WaitAsync(ctx.CancellationToken));
        Field<TestNodeType>("node")
            .Resolve(_ => new object());
    }
}
