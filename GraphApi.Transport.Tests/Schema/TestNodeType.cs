using GraphQL.Types;

namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

/// <summary>A recursive object type, for documents that nest and repeat fields.</summary>
public sealed class TestNodeType : ObjectGraphType
{
    public TestNodeType()
    {
        Name = "Node";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(_ => "node");
        Field<TestNodeType>("child").Resolve(_ => new object());
    }
}
