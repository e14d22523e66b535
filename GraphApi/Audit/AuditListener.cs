using GraphQL.Execution;
using GraphQLParser.AST;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.DataLoaders;

namespace ThreatGraph.GraphApi.Audit;

/// <summary>Records every GraphQL operation after it ran: operation, objects it returned or wrote, outcome.</summary>
public sealed class AuditListener(AuditTrail trail, CallerIdentity caller, NodeByIdLoader loader) : DocumentExecutionListenerBase
{
    public override Task AfterExecutionAsync(IExecutionContext context)
    {
        var op = context.Operation;
        var kind = op.Operation switch { OperationType.Mutation => "mutation", OperationType.Subscription => "subscription", _ => "query" };
        var name = op.Name?.StringValue ?? "(anonymous)";
        var outcome = context.Errors.Count == 0 ? "ok" : "errors: " + string.Join("; ", context.Errors.Take(3).Select(e => e.Message));
        trail.Record(caller, $"graphql {kind} {name}", op.Operation == OperationType.Mutation, loader.TouchedIds, outcome);
        return Task.CompletedTask;
    }
}
