using Microsoft.Extensions.DependencyInjection;

namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

public sealed class TestSchema : GraphQL.Types.Schema
{
    public TestSchema(IServiceProvider services) : base(services)
    {
        Query = services.GetRequiredService<TestQuery>();
        Mutation = services.GetRequiredService<TestMutation>();
        Subscription = services.GetRequiredService<TestSubscription>();
    }
}
