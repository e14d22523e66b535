using GraphQL;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>Forwards one subscription's response stream to its connection; never blocks the producer.</summary>
internal sealed class SubscriptionObserver(GraphQLWebSocketConnection connection, GraphQLWebSocketOperation operation)
    : IObserver<ExecutionResult>
{
    public void OnNext(ExecutionResult value) => connection.SendNext(operation, value);

    public void OnError(Exception error) => connection.FailOperation(operation, error);

    public void OnCompleted() => connection.CompleteOperation(operation);
}
