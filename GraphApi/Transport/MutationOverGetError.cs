using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>The validation error that turns a GET request into 405 Method Not Allowed.</summary>
internal sealed class MutationOverGetError : ValidationError
{
    public MutationOverGetError(ROM source, GraphQLOperationDefinition operation)
        : base(source, null, "Mutations are not allowed over GET; use POST.", operation)
    {
        Code = "MUTATION_OVER_GET";
    }
}
