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

    /// <summary>Default for <see cref="MaxQueryTokens"/>.</summary>
    public const int DefaultMaxQueryTokens = 10_000;

    /// <summary>Default for <see cref="MaxSelectionDepth"/>.</summary>
    public const int DefaultMaxSelectionDepth = 32;

    /// <summary>Default for <see cref="MaxFragmentSpreads"/>.</summary>
    public const int DefaultMaxFragmentSpreads = 100;

    /// <summary>Default for <see cref="MaxExpandedFields"/>.</summary>
    public const int DefaultMaxExpandedFields = 10_000;

    /// <summary>Default for <see cref="MaxFieldRepeats"/>.</summary>
    public const int DefaultMaxFieldRepeats = 30;

    /// <summary>Default for <see cref="MaxExecutionTime"/>, in seconds.</summary>
    public const int DefaultMaxExecutionSeconds = 30;

    /// <summary>Default for <see cref="MaxOperationsPerConnection"/>.</summary>
    public const int DefaultMaxOperationsPerConnection = 20;

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

    // Document limits. They are checked by GraphQLDocumentLimiter on every document sent as text (HTTP and
    // WebSocket subscribe), before GraphQL.NET parses it again, validates it or analyses its complexity: those steps
    // expand fragments and compare overlapping fields, so without these bounds a 1 KB document can cost minutes of CPU.

    /// <summary>
    /// Most lexical tokens in a query document (a string literal, however long, is one token). Counted before the
    /// document is parsed, so a huge document costs a scan, not a syntax tree.
    /// </summary>
    public int MaxQueryTokens { get; set; } = DefaultMaxQueryTokens;

    /// <summary>
    /// How deeply selections (fields, inline fragments and fragment spreads) may nest once fragments are expanded.
    /// Validation recurses this deep: a chain of fragments each spreading the next otherwise overflows the stack.
    /// </summary>
    public int MaxSelectionDepth { get; set; } = DefaultMaxSelectionDepth;

    /// <summary>Most fragment spreads (<c>...Name</c>) written in one document.</summary>
    public int MaxFragmentSpreads { get; set; } = DefaultMaxFragmentSpreads;

    /// <summary>
    /// Most fields a document selects once every fragment spread is replaced by its fragment (a fragment spread
    /// twice counts twice). Computed once per fragment, so a fragment "bomb" is refused without being expanded.
    /// </summary>
    public int MaxExpandedFields { get; set; } = DefaultMaxExpandedFields;

    /// <summary>
    /// Most selections that merge into one response field: the same field (or alias) selected again, directly, through
    /// fragments, or under a repeated parent field (repeats multiply down the tree). GraphQL's overlapping-fields
    /// validation compares every such pair, so its cost grows with the square of this number.
    /// </summary>
    public int MaxFieldRepeats { get; set; } = DefaultMaxFieldRepeats;

    /// <summary>
    /// Prefix of the setting names quoted in limit errors (e.g. <c>Api:</c> gives "Api:MaxExpandedFields"), so that a
    /// client's error names the key an operator can change.
    /// </summary>
    public string LimitSettingPrefix { get; set; } = SectionName + ":";

    /// <summary>
    /// Time budget of one execution (an HTTP request, or a WebSocket <c>subscribe</c> until its result or its event
    /// stream is ready). When it runs out the execution is cancelled and the client gets a timeout error.
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off. Every execution is also cancelled when its client goes away.
    /// </summary>
    public TimeSpan MaxExecutionTime { get; set; } = TimeSpan.FromSeconds(DefaultMaxExecutionSeconds);

    /// <summary>
    /// Most active operations on one WebSocket connection (subscriptions, and queries or mutations while they run).
    /// One more <c>subscribe</c> is answered with an <c>error</c> message for its id; the connection stays open.
    /// </summary>
    public int MaxOperationsPerConnection { get; set; } = DefaultMaxOperationsPerConnection;
}
