using GraphQL.Validation;
using GraphQLParser.AST;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>
/// Rejects what HTTP cannot serve: subscriptions always (they need graphql-transport-ws), and mutations
/// on GET (GraphQL-over-HTTP: GET must not change state; the endpoint answers 405).
/// </summary>
internal sealed class HttpOperationTypeValidationRule : ValidationRuleBase
{
    public static readonly HttpOperationTypeValidationRule ForGet = new(allowMutations: false);
    public static readonly HttpOperationTypeValidationRule ForPost = new(allowMutations: true);

    private readonly bool _allowMutations;

    private HttpOperationTypeValidationRule(bool allowMutations) => _allowMutations = allowMutations;

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var operation = context.Operation;
        if (operation.Operation == OperationType.Subscription)
        {
            context.ReportError(new ValidationError(context.Document.Source, null,
                "Subscriptions are served over WebSocket (subprotocol graphql-transport-ws), not over HTTP.", operation));
        }
        else if (!_allowMutations && operation.Operation == OperationType.Mutation)
        {
            context.ReportError(new MutationOverGetError(context.Document.Source, operation));
        }

        return default;
    }
}
