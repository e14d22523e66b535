using System.Globalization;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.DependencyInjection;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>What both transports do to run one request: the document limits first, then the executer.</summary>
internal static class GraphQLExecution
{
    private static readonly GraphQLDocumentBuilder DefaultBuilder = new();

    /// <summary>
    /// Applies <see cref="GraphQLDocumentLimiter"/> to the request's query and runs the executer on the document it
    /// parsed (so the text is parsed once). A broken limit is answered without running anything: a result with the
    /// error and <see cref="ExecutionResult.Executed"/> false, like a validation error.
    /// A request that has only a <c>documentId</c> (persisted documents) is not checked: its text is the server's own.
    /// A text that passed before (<see cref="ValidatedDocuments"/>) is neither parsed nor checked again, and skips
    /// GraphQL's core validation rules; the other rules and the coercion of its variables run as always.
    /// </summary>
    public static async Task<ExecutionResult> ExecuteAsync(IServiceProvider services, GraphQLTransportOptions options,
        GraphQLRequest request, Action<ExecutionOptions> configure)
    {
        var validated = services.GetService<ValidatedDocuments>();
        GraphQLDocument? document = null;
        var seenBefore = false;
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            if (validated is not null && validated.TryGet(request.Query, out var known))
            {
                (document, seenBefore) = (known, true);
            }
            else
            {
                var (parsed, error) = GraphQLDocumentLimiter.Parse(request.Query, services.GetService<IDocumentBuilder>() ?? DefaultBuilder, options);
                if (error is not null)
                {
                    return new ExecutionResult { Errors = [error] };
                }
                document = parsed;
            }
        }

        var result = await services.GetRequiredService<IDocumentExecuter>().ExecuteAsync(o =>
        {
            o.Document = document;
            configure(o);
            if (seenBefore)
            {
                o.ValidationRules = ValidatedDocuments.WithoutCoreRules(o.ValidationRules ?? DocumentValidator.CoreRules);
            }
        });
        if (!seenBefore && result.Executed && document is not null)
        {
            validated?.Add(request.Query!, document); // executed: it passed validation
        }
        return result;
    }

    /// <summary>The answer when <see cref="GraphQLTransportOptions.MaxExecutionTime"/> ran out: executed, no data, one error.</summary>
    public static ExecutionResult TimedOut(GraphQLTransportOptions options) => new()
    {
        Executed = true,
        Errors =
        [
            new TimeoutError(string.Create(CultureInfo.InvariantCulture,
                $"The operation ran longer than {options.MaxExecutionTime.TotalSeconds:0.###} s and was cancelled."), null),
        ],
    };
}
