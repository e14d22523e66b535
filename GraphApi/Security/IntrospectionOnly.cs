using GraphQLParser.AST;

namespace ThreatGraph.GraphApi.Security;

/// <summary>An operation whose top-level fields are all schema meta-fields (<c>__schema</c>, <c>__type</c>,
/// <c>__typename</c>): it reads no graph data, whatever its depth.</summary>
public static class IntrospectionOnly
{
    public static bool Is(GraphQLOperationDefinition operation) =>
        operation.Operation == OperationType.Query
        && operation.SelectionSet.Selections.Count > 0
        && operation.SelectionSet.Selections.All(s => s is GraphQLField f && f.Name.StringValue.StartsWith("__", StringComparison.Ordinal));
}
