using GraphQL;
using Microsoft.AspNetCore.Http;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>
/// Tunables of the GraphQL-over-HTTP and graphql-transport-ws transports. Bind it from
/// <see cref="SectionName"/> and pass the delegates in <c>AddGraphQLTransport</c>.
/// </summary>
public sealed class GraphQLTransportOptions
{
    /// <summary>Configuration section the app binds these options from.</summary>
    public const string SectionName = "GraphQL:Transport";

    /// <summary>Default for <see cref="MaxRequestBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxRequestBytes = 1024 * 1024;

    /// <summary>Default for <see cref="MaxWebSocketMessageBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxWebSocketMessageBytes = 1024 * 1024;

    /// <summary>Default for <see cref="SendQueueCapacity"/>.</summary>
    public const int DefaultSendQueueCapacity = 1024;

    /// <summary>Default for <see cref="ConnectionInitWaitTimeout"/>, in seconds.</summary>
    public const int DefaultConnectionInitWaitTimeoutSeconds = 10;

    /// <summary>Default for <see cref="CloseTimeout"/>, in seconds.</summary>
    public const int DefaultCloseTimeoutSeconds = 5;

    /// <summary>
    /// Largest HTTP request body accepted (bytes). A larger body, or a larger declared
    /// <c>Content-Length</c>, gets 413.
    /// </summary>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>
    /// Largest WebSocket message accepted after reassembling its frames (bytes). A larger message
    /// closes the socket with 1009 (message too big).
    /// </summary>
    public int MaxWebSocketMessageBytes { get; set; } = DefaultMaxWebSocketMessageBytes;

    /// <summary>
    /// Capacity of the per-connection outgoing queue. Producers (subscription streams) only ever
    /// <c>TryWrite</c> into it; when it is full the client is not reading fast enough and the
    /// connection is closed with <see cref="GraphQLWebSocketCloseCodes.SlowConsumer"/>.
    /// </summary>
    public int SendQueueCapacity { get; set; } = DefaultSendQueueCapacity;

    /// <summary>How long a socket may stay open without <c>connection_init</c> before it is closed with 4408.</summary>
    public TimeSpan ConnectionInitWaitTimeout { get; set; } = TimeSpan.FromSeconds(DefaultConnectionInitWaitTimeoutSeconds);

    /// <summary>
    /// How long the server waits for a pending send or the client's close frame when it closes a socket,
    /// before it aborts the connection.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(DefaultCloseTimeoutSeconds);

    /// <summary>
    /// When true, errors the transport writes itself (unexpected exceptions, JSON reader messages) carry the
    /// exception text. Execution errors are governed by the GraphQL <c>IErrorInfoProvider</c>. Keep off in production.
    /// </summary>
    public bool ExposeExceptionDetails { get; set; }

    /// <summary>
    /// Called for every operation (HTTP request or WebSocket <c>subscribe</c>) after the transport has filled in
    /// schema, request, <c>RequestServices</c>, <c>User</c> and <c>CancellationToken</c>: the place to set
    /// <see cref="ExecutionOptions.UserContext"/>, listeners or extra validation rules.
    /// Over WebSockets the <see cref="HttpContext"/> is the upgrade request and lives as long as the socket.
    /// </summary>
    public Action<ExecutionOptions, HttpContext>? ConfigureExecution { get; set; }

    /// <summary>
    /// Decides whether a WebSocket <c>connection_init</c> is accepted (true → <c>connection_ack</c>, false → close 4403).
    /// It may replace <see cref="ConnectionInitContext.User"/>; that principal is used for the connection's operations.
    /// The default accepts every connection.
    /// </summary>
    public Func<ConnectionInitContext, ValueTask<bool>> OnConnectionInit { get; set; } = static _ => ValueTask.FromResult(true);
}
