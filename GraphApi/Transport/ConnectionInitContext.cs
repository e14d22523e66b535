using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>What <see cref="GraphQLTransportOptions.OnConnectionInit"/> sees of a <c>connection_init</c> message.</summary>
public sealed class ConnectionInitContext
{
    internal ConnectionInitContext(HttpContext httpContext, IReadOnlyDictionary<string, object?>? payload, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Payload = payload;
        User = httpContext.User;
        CancellationToken = cancellationToken;
    }

    /// <summary>The WebSocket upgrade request; it lives as long as the socket.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The <c>payload</c> of <c>connection_init</c> (e.g. an auth token), or null when absent.</summary>
    public IReadOnlyDictionary<string, object?>? Payload { get; }

    /// <summary>The principal for this connection's operations; starts as the upgrade request's user and may be replaced.</summary>
    public ClaimsPrincipal User { get; set; }

    /// <summary>Signalled when the socket goes away.</summary>
    public CancellationToken CancellationToken { get; }
}
