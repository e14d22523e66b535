using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>GraphQL over WebSocket, subprotocol <c>graphql-transport-ws</c> (enisdenjo/graphql-ws PROTOCOL.md).</summary>
public static class GraphQLWebSocketEndpoint
{
    /// <summary>The only subprotocol served.</summary>
    public const string SubProtocol = "graphql-transport-ws";

    private const string LoggerName = "ThreatGraph.GraphApi.Transport.GraphQLWebSocketEndpoint";

    /// <summary>
    /// Maps the graphql-transport-ws endpoint at <paramref name="pattern"/>. The app MUST call
    /// <c>app.UseWebSockets()</c> before its endpoints run; without it upgrade requests get 400.
    /// The same pattern can also carry <see cref="GraphQLHttpEndpoint.MapGraphQLHttp"/>: upgrade requests go here,
    /// everything else to HTTP (needs <c>AddGraphQLTransport</c>, which registers the routing policy).
    /// <para>Protocol: <c>connection_init</c> → <see cref="GraphQLTransportOptions.OnConnectionInit"/> → <c>connection_ack</c>
    /// or close 4403; no init within <see cref="GraphQLTransportOptions.ConnectionInitWaitTimeout"/> → 4408; second init → 4429;
    /// <c>ping</c> → <c>pong</c>; <c>subscribe</c> before ack → 4401; active id reused → 4409; query/mutation → <c>next</c> +
    /// <c>complete</c>; subscription → a <c>next</c> per event and <c>complete</c> when the source completes; request errors →
    /// <c>error</c> with an array of errors; client <c>complete</c> disposes the operation; invalid message → 4400;
    /// a message above <see cref="GraphQLTransportOptions.MaxWebSocketMessageBytes"/> → 1009; missing subprotocol → 4406.</para>
    /// <para>Slow consumers: all outgoing messages pass through a per-connection queue bounded by
    /// <see cref="GraphQLTransportOptions.SendQueueCapacity"/> that producers never wait on; when it is full the socket is
    /// closed with <see cref="GraphQLWebSocketCloseCodes.SlowConsumer"/> (4413) and every subscription is disposed. Nothing is
    /// dropped silently: the client gets an unbroken prefix of the stream, then the close. Each operation runs in its own DI scope.
    /// On host shutdown open sockets are closed with 1001 instead of holding the shutdown up.</para>
    /// <para>Abuse limits: a document over a limit of <see cref="GraphQLDocumentLimiter"/> gets <c>error</c> before GraphQL.NET
    /// validates it; a <c>subscribe</c> beyond <see cref="GraphQLTransportOptions.MaxOperationsPerConnection"/> active operations gets
    /// <c>error</c> (the protocol has no close code for it, and a close would end the client's other operations); an execution
    /// is cancelled by the client's <c>complete</c>, by the socket closing, and by <see cref="GraphQLTransportOptions.MaxExecutionTime"/>
    /// (a <c>next</c> with the timeout error, then <c>complete</c>), which for a subscription ends once its stream is ready.</para>
    /// </summary>
    public static IEndpointConventionBuilder MapGraphQLWebSocket(this IEndpointRouteBuilder app, string pattern = "/graphql")
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Connect], new RequestDelegate(HandleAsync))
            .WithMetadata(GraphQLWebSocketEndpointMetadata.Instance)
            .WithDisplayName("GraphQL WebSocket " + pattern);
    }

    internal static async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync(
                $"Expected a WebSocket upgrade request with subprotocol {SubProtocol} (is app.UseWebSockets() called?).",
                http.RequestAborted);
            return;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<GraphQLTransportOptions>>().Value;
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal))
        {
            using var rejected = await http.WebSockets.AcceptWebSocketAsync();
            using var timeout = new CancellationTokenSource(options.CloseTimeout);
            await rejected.CloseOutputAsync((System.Net.WebSockets.WebSocketCloseStatus)GraphQLWebSocketCloseCodes.SubprotocolNotAcceptable,
                "Subprotocol not acceptable", timeout.Token);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName);
        using var connection = new GraphQLWebSocketConnection(http, socket, options, logger);
        await connection.RunAsync();
    }
}
