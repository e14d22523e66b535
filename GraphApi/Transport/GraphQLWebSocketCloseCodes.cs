namespace ThreatGraph.GraphApi.Transport;

/// <summary>Close codes the graphql-transport-ws endpoint uses.</summary>
public static class GraphQLWebSocketCloseCodes
{
    /// <summary>Invalid message: bad JSON, unknown or missing type, missing id/payload, binary frame.</summary>
    public const int BadRequest = 4400;

    /// <summary><c>subscribe</c> before <c>connection_ack</c>.</summary>
    public const int Unauthorized = 4401;

    /// <summary>The <see cref="GraphQLTransportOptions.OnConnectionInit"/> hook rejected the connection.</summary>
    public const int Forbidden = 4403;

    /// <summary>The client did not offer the <c>graphql-transport-ws</c> subprotocol.</summary>
    public const int SubprotocolNotAcceptable = 4406;

    /// <summary>No <c>connection_init</c> within <see cref="GraphQLTransportOptions.ConnectionInitWaitTimeout"/>.</summary>
    public const int ConnectionInitialisationTimeout = 4408;

    /// <summary><c>subscribe</c> with an id that is still active.</summary>
    public const int SubscriberAlreadyExists = 4409;

    /// <summary>
    /// Not in the protocol's table (it is ours, in the 4400 range): the outgoing queue reached
    /// <see cref="GraphQLTransportOptions.SendQueueCapacity"/> because the client does not read.
    /// </summary>
    public const int SlowConsumer = 4413;

    /// <summary>More than one <c>connection_init</c>.</summary>
    public const int TooManyInitialisationRequests = 4429;

    /// <summary>The server failed while handling the connection (e.g. the init hook threw).</summary>
    public const int InternalServerError = 4500;
}
