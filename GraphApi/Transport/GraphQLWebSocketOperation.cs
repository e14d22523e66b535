using Microsoft.Extensions.DependencyInjection;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>
/// One <c>subscribe</c> on a socket: its own service scope (the upgrade request's services live as long as the socket),
/// its cancellation, and the stream subscription once there is one. Disposed exactly once, from whichever side ends it.
/// Its token is cancelled when it is disposed (client <c>complete</c>, socket closed) and when its execution budget runs
/// out before <see cref="EndBudget"/> is called.
/// </summary>
internal sealed class GraphQLWebSocketOperation : IDisposable
{
    // Not linked to the connection's token: the connection cancels every operation itself on teardown,
    // so no registration piles up on a long-lived socket. Its timer is the execution budget.
    private readonly CancellationTokenSource _cts;
    private readonly AsyncServiceScope _scope;
    private IDisposable? _subscription;
    private int _disposed;

    public GraphQLWebSocketOperation(string id, AsyncServiceScope scope, TimeSpan budget, TimeProvider time)
    {
        Id = id;
        _scope = scope;
        _cts = new CancellationTokenSource(budget, time);
        Token = _cts.Token;
    }

    public string Id { get; }

    public CancellationToken Token { get; }

    public IServiceProvider Services => _scope.ServiceProvider;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>True when the token was cancelled by the execution budget, not by the end of the operation.</summary>
    public bool BudgetExpired => _cts.IsCancellationRequested && !IsDisposed;

    /// <summary>
    /// Stops the execution budget (a subscription's stream is ready and lives as long as the client wants it).
    /// False when the budget had already run out.
    /// </summary>
    public bool EndBudget()
    {
        _cts.CancelAfter(Timeout.InfiniteTimeSpan);
        return !_cts.IsCancellationRequested || IsDisposed;
    }

    /// <summary>Keeps the stream subscription; disposes it at once when the operation already ended.</summary>
    public void Attach(IDisposable subscription)
    {
        Interlocked.Exchange(ref _subscription, subscription)?.Dispose();
        if (IsDisposed)
        {
            Interlocked.Exchange(ref _subscription, null)?.Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _cts.Cancel();
        }
        catch (AggregateException)
        {
            // a cancellation callback threw; the operation is over either way
        }

        try
        {
            Interlocked.Exchange(ref _subscription, null)?.Dispose();
        }
        finally
        {
            _ = DisposeScopeAsync();
        }
    }

    private async Task DisposeScopeAsync()
    {
        try
        {
            await _scope.DisposeAsync();
        }
        catch (Exception)
        {
            // a scoped service failed to dispose; nothing the transport can do about it
        }
    }
}
