using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>
/// One graphql-transport-ws socket. Three activities: the receive loop (protocol state machine), the send loop
/// (the only reader of the bounded outgoing queue) and the init-timeout watch. Producers only <c>TryWrite</c> into
/// the queue, so a client that does not read never blocks a subscription source: a full queue closes the socket
/// with <see cref="GraphQLWebSocketCloseCodes.SlowConsumer"/> and disposes every subscription.
/// </summary>
internal sealed class GraphQLWebSocketConnection : IDisposable
{
    private const int ReceiveChunkBytes = 4 * 1024;
    private const int MaxCloseReasonBytes = 123;

    /// <summary><c>extensions.code</c> of the error that refuses a <c>subscribe</c> over <see cref="GraphQLTransportOptions.MaxOperationsPerConnection"/>.</summary>
    internal const string TooManyOperationsCode = "TOO_MANY_OPERATIONS";

    private readonly HttpContext _http;
    private readonly WebSocket _socket;
    private readonly GraphQLTransportOptions _options;
    private readonly IGraphQLTextSerializer _serializer;
    private readonly ISchema _schema;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<OperationMessage> _outgoing;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, GraphQLWebSocketOperation> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationTokenSource _receive;
    private readonly CancellationToken _stopping;

    private int _initState; // 0: waiting for connection_init, 1: init hook running, 2: acknowledged
    private int _closing;

    public GraphQLWebSocketConnection(HttpContext http, WebSocket socket, GraphQLTransportOptions options, ILogger logger)
    {
        _http = http;
        _socket = socket;
        _options = options;
        _logger = logger;
        var services = http.RequestServices;
        _serializer = services.GetRequiredService<IGraphQLTextSerializer>();
        _schema = services.GetRequiredService<ISchema>();
        _scopeFactory = services.GetRequiredService<IServiceScopeFactory>();
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _outgoing = Channel.CreateBounded<OperationMessage>(new BoundedChannelOptions(options.SendQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails instead of dropping: we close, we do not lose silently
            SingleReader = true,
            SingleWriter = false,
        });
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        _receive = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        _stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
    }

    public async Task RunAsync()
    {
        var sending = Task.Run(SendLoopAsync);
        var initWatch = WatchInitTimeoutAsync();
        // the host waits for open requests on shutdown: close sockets instead of holding it up until its timeout
        using var stopping = _stopping.Register(static state => _ = ((GraphQLWebSocketConnection)state!).CloseAsync(
            (int)WebSocketCloseStatus.EndpointUnavailable, "Server is shutting down"), this);
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // the client vanished, or a close timed out; teardown below
        }
        finally
        {
            Interlocked.Exchange(ref _closing, 1);
            _outgoing.Writer.TryComplete();
            DisposeAllOperations();
            await _lifetime.CancelAsync();
            await sending;
            await initWatch;
            _lifetime.Dispose();
            _receive.Dispose();
        }
    }

    internal void SendNext(GraphQLWebSocketOperation operation, ExecutionResult result)
    {
        if (!operation.IsDisposed)
        {
            Enqueue(new OperationMessage { Id = operation.Id, Type = MessageTypes.Next, Payload = result });
        }
    }

    internal void CompleteOperation(GraphQLWebSocketOperation operation)
    {
        if (Finish(operation))
        {
            Enqueue(new OperationMessage { Id = operation.Id, Type = MessageTypes.Complete });
        }
    }

    internal void FailOperation(GraphQLWebSocketOperation operation, Exception error)
    {
        _logger.LogWarning(error, "GraphQL subscription {OperationId} failed", operation.Id);
        SendNext(operation, new ExecutionResult { Errors = [ErrorFor(error)] });
        CompleteOperation(operation);
    }

    private async Task ReceiveLoopAsync()
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ReceiveChunkBytes);
        var message = new ArrayBufferWriter<byte>(ReceiveChunkBytes);
        try
        {
            while (true)
            {
                message.ResetWrittenCount();
                var tooBig = false;
                ValueWebSocketReceiveResult frame;
                do
                {
                    frame = await _socket.ReceiveAsync(chunk.AsMemory(), _receive.Token);
                    if (frame.MessageType == WebSocketMessageType.Close)
                    {
                        await AnswerClientCloseAsync();
                        return;
                    }

                    if (message.WrittenCount + frame.Count > _options.MaxWebSocketMessageBytes)
                    {
                        tooBig = true;
                    }
                    else if (!tooBig)
                    {
                        message.Write(chunk.AsSpan(0, frame.Count));
                    }
                }
                while (!frame.EndOfMessage);

                if (Volatile.Read(ref _closing) != 0)
                {
                    continue; // we are closing: discard until the client's close frame (or CloseTimeout)
                }

                if (tooBig)
                {
                    await CloseAsync((int)WebSocketCloseStatus.MessageTooBig,
                        $"Message exceeds {_options.MaxWebSocketMessageBytes} bytes");
                }
                else if (frame.MessageType != WebSocketMessageType.Text)
                {
                    await CloseAsync(GraphQLWebSocketCloseCodes.BadRequest, "Invalid message: binary frames are not supported");
                }
                else
                {
                    await HandleMessageAsync(Encoding.UTF8.GetString(message.WrittenSpan));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private async Task HandleMessageAsync(string text)
    {
        OperationMessage? message;
        try
        {
            message = _serializer.Deserialize<OperationMessage>(text);
        }
        catch (Exception)
        {
            await CloseAsync(GraphQLWebSocketCloseCodes.BadRequest, "Invalid message: not a JSON message object");
            return;
        }

        switch (message?.Type)
        {
            case null:
                await CloseAsync(GraphQLWebSocketCloseCodes.BadRequest, "Invalid message: missing 'type'");
                break;
            case MessageTypes.ConnectionInit:
                await InitAsync(message);
                break;
            case MessageTypes.Ping:
                Enqueue(new OperationMessage { Type = MessageTypes.Pong });
                break;
            case MessageTypes.Pong:
                break;
            case MessageTypes.Subscribe:
                await SubscribeAsync(message);
                break;
            case MessageTypes.Complete when !string.IsNullOrEmpty(message.Id):
                if (_operations.TryRemove(message.Id, out var operation))
                {
                    operation.Dispose(); // client stopped listening: no 'complete' back
                }

                break;
            default:
                await CloseAsync(GraphQLWebSocketCloseCodes.BadRequest, $"Invalid message type '{message.Type}'");
                break;
        }
    }

    private async Task InitAsync(OperationMessage message)
    {
        if (Interlocked.CompareExchange(ref _initState, 1, 0) != 0)
        {
            await CloseAsync(GraphQLWebSocketCloseCodes.TooManyInitialisationRequests, "Too many initialisation requests");
            return;
        }

        Inputs? payload;
        try
        {
            payload = message.Payload is null ? null : _serializer.ReadNode<Inputs>(message.Payload);
        }
        catch (Exception)
        {
            await CloseAsync(GraphQLWebSocketCloseCodes.BadRequest, "Invalid message: connection_init payload must be an object");
            return;
        }

        var context = new ConnectionInitContext(_http, payload, _lifetime.Token);
        bool accepted;
        try
        {
            accepted = await _options.OnConnectionInit(context);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL WebSocket connection_init hook failed");
            await CloseAsync(GraphQLWebSocketCloseCodes.InternalServerError, "Internal server error");
            return;
        }

        if (!accepted)
        {
            await CloseAsync(GraphQLWebSocketCloseCodes.Forbidden, "Forbidden");
            return;
        }

        _http.User = context.User;
        Volatile.Write(ref _initState, 2);
        Enqueue(new OperationMessage { Type = MessageTypes.ConnectionAck });
    }

    private async Task SubscribeAsync(OperationMessage message)
    {
        if (Volatile.Read(ref _initState) != 2)
        {
            await CloseAsync(GraphQLWebSocketCloseCodes.Unauthorized, "Unauthorized");
            return;
        }

        if (string.IsNullOrEmpty(message.Id))
        {
            await CloseAsync(GraphQLWebSocketCloseCodes.BadRequest, "Invalid message: subscribe needs an 'id'");
            return;
        }

        GraphQLRequest? request;
        try
        {
            request = message.Payload is null ? null : _serializer.ReadNode<GraphQLRequest>(message.Payload);
        }
        catch (Exception)
        {
            request = null;
        }

        if (request is null)
        {
            await CloseAsync(GraphQLWebSocketCloseCodes.BadRequest, "Invalid message: subscribe needs a request 'payload'");
            return;
        }

        if (_operations.Count >= _options.MaxOperationsPerConnection && !_operations.ContainsKey(message.Id))
        {
            // The protocol has no close code for this, and closing would end the client's other operations: refuse
            // this one with an 'error' (terminal for its id: no 'complete' follows) and keep the connection.
            Enqueue(new OperationMessage
            {
                Id = message.Id,
                Type = MessageTypes.Error,
                Payload = new[]
                {
                    new ExecutionError($"This connection already has {_options.MaxOperationsPerConnection} active operations; " +
                        $"complete one before subscribing again (the limit is set by {_options.LimitSettingPrefix}{nameof(_options.MaxOperationsPerConnection)}).")
                    {
                        Code = TooManyOperationsCode,
                    },
                },
            });
            return;
        }

        var operation = new GraphQLWebSocketOperation(message.Id, _scopeFactory.CreateAsyncScope(), _options.MaxExecutionTime, _time);
        if (!_operations.TryAdd(message.Id, operation))
        {
            operation.Dispose();
            await CloseAsync(GraphQLWebSocketCloseCodes.SubscriberAlreadyExists, $"Subscriber for {message.Id} already exists");
            return;
        }

        if (Volatile.Read(ref _closing) != 0)
        {
            Finish(operation);
            return;
        }

        _ = Task.Run(() => ExecuteAsync(operation, request));
    }

    private async Task ExecuteAsync(GraphQLWebSocketOperation operation, GraphQLRequest request)
    {
        try
        {
            var result = await GraphQLExecution.ExecuteAsync(_http.RequestServices, _options, request, o =>
            {
                o.Schema = _schema;
                o.Query = request.Query;
                o.DocumentId = request.DocumentId;
                o.OperationName = request.OperationName;
                o.Variables = request.Variables;
                o.Extensions = request.Extensions;
                o.RequestServices = operation.Services;
                o.User = _http.User;
                o.CancellationToken = operation.Token;
                _options.ConfigureExecution?.Invoke(o, _http);
            });

            if (operation.IsDisposed)
            {
                return;
            }

            if (result.Streams is { Count: > 0 } streams)
            {
                // the budget covers getting the stream ready, not the life of the subscription
                var inTime = operation.EndBudget();
                operation.Attach(streams.Values.First().Subscribe(new SubscriptionObserver(this, operation)));
                if (!inTime)
                {
                    TimeOut(operation); // disposes the subscription just attached
                }

                return;
            }

            if (!result.Executed)
            {
                if (Finish(operation))
                {
                    var errors = result.Errors is { Count: > 0 } ? result.Errors : [new ExecutionError("The operation was not executed.")];
                    Enqueue(new OperationMessage { Id = operation.Id, Type = MessageTypes.Error, Payload = errors });
                }

                return;
            }

            SendNext(operation, result);
            CompleteOperation(operation);
        }
        catch (OperationCanceledException) when (operation.BudgetExpired)
        {
            TimeOut(operation);
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
            Finish(operation);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL WebSocket operation {OperationId} failed", operation.Id);
            if (Finish(operation))
            {
                Enqueue(new OperationMessage { Id = operation.Id, Type = MessageTypes.Error, Payload = new[] { ErrorFor(ex) } });
            }
        }
    }

    /// <summary>The execution budget ran out: the timeout as the operation's result, then <c>complete</c>.</summary>
    private void TimeOut(GraphQLWebSocketOperation operation)
    {
        SendNext(operation, GraphQLExecution.TimedOut(_options));
        CompleteOperation(operation);
    }

    private ExecutionError ErrorFor(Exception ex)
        => new(_options.ExposeExceptionDetails ? ex.ToString() : "Internal server error.");

    /// <summary>Removes and disposes the operation; true when this call ended it (so the caller sends the last message).</summary>
    private bool Finish(GraphQLWebSocketOperation operation)
    {
        var removed = _operations.TryRemove(new KeyValuePair<string, GraphQLWebSocketOperation>(operation.Id, operation));
        operation.Dispose();
        return removed;
    }

    private void DisposeAllOperations()
    {
        foreach (var id in _operations.Keys)
        {
            if (_operations.TryRemove(id, out var operation))
            {
                operation.Dispose();
            }
        }
    }

    /// <summary>Never blocks: a full queue means the client is not reading, and the socket is closed.</summary>
    private void Enqueue(OperationMessage message)
    {
        if (_outgoing.Writer.TryWrite(message) || Volatile.Read(ref _closing) != 0)
        {
            return;
        }

        // Complete the queue now, on the producer's thread: once one message is refused none may follow it,
        // or the client would see a gap instead of a prefix of the stream and then the close.
        if (_outgoing.Writer.TryComplete())
        {
            _logger.LogWarning("GraphQL WebSocket client is not reading: {Capacity} messages queued; closing", _options.SendQueueCapacity);
            _ = Task.Run(() => CloseAsync(GraphQLWebSocketCloseCodes.SlowConsumer, "Slow consumer: outgoing queue is full"));
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_lifetime.Token))
            {
                while (reader.TryRead(out var message))
                {
                    var bytes = Encoding.UTF8.GetBytes(_serializer.Serialize(message));
                    await _sendLock.WaitAsync(_lifetime.Token);
                    try
                    {
                        if (Volatile.Read(ref _closing) != 0)
                        {
                            return; // the close frame is (being) sent: nothing may follow it
                        }

                        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _lifetime.Token);
                    }
                    finally
                    {
                        _sendLock.Release();
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // socket gone or connection torn down
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL WebSocket send loop failed");
            _socket.Abort();
        }
    }

    private async Task WatchInitTimeoutAsync()
    {
        try
        {
            await Task.Delay(_options.ConnectionInitWaitTimeout, _time, _lifetime.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Volatile.Read(ref _initState) == 0)
        {
            await CloseAsync(GraphQLWebSocketCloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout");
        }
    }

    /// <summary>
    /// Closes the socket with <paramref name="code"/> at once: queued messages are dropped, every operation is disposed
    /// (so sources stop), and the receive loop gets <see cref="GraphQLTransportOptions.CloseTimeout"/> to see the
    /// client's close frame. A send that stays blocked past that timeout (a client that does not read) aborts the socket.
    /// </summary>
    private async Task CloseAsync(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _outgoing.Writer.TryComplete();
        DisposeAllOperations();
        try
        {
            _receive.CancelAfter(_options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        var locked = false;
        try
        {
            locked = await _sendLock.WaitAsync(_options.CloseTimeout);
            if (!locked)
            {
                _socket.Abort();
                return;
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(_options.CloseTimeout);
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, Truncate(reason), timeout.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            _socket.Abort();
        }
        finally
        {
            if (locked)
            {
                _sendLock.Release();
            }
        }
    }

    private async Task AnswerClientCloseAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return; // we started the close; the handshake is complete now
        }

        _outgoing.Writer.TryComplete();
        DisposeAllOperations();
        if (await _sendLock.WaitAsync(_options.CloseTimeout))
        {
            try
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(_options.CloseTimeout);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                _socket.Abort();
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }

    private static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }

        var length = Math.Min(reason.Length, MaxCloseReasonBytes);
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes)
        {
            length--;
        }

        return reason[..length];
    }

    /// <summary>After <see cref="RunAsync"/> has returned: nothing sends any more.</summary>
    public void Dispose() => _sendLock.Dispose();
}

