namespace ThreatGraph.GraphApi.Transport.Tests.Schema;

/// <summary>Scoped: a fresh id per DI scope, to show each WebSocket operation gets its own scope.</summary>
public sealed class ScopeProbe
{
    public Guid Id { get; } = Guid.NewGuid();
}
