using ThreatGraph.TestSupport;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThreatGraph.GraphApi.Transport.Tests.Schema;

namespace ThreatGraph.GraphApi.Transport.Tests;

/// <summary>
/// On a real server, routing runs before <c>UseWebSockets</c> (WebApplication adds UseRouting first), so the shared-path
/// policy must recognise the upgrade from the headers. TestServer installs its WebSocket feature itself and cannot show that.
/// </summary>
public sealed class KestrelRoutingTests
{
    [Fact]
    public async Task Upgrade_and_plain_get_share_the_path_and_shutdown_closes_sockets()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddGraphQL(b => b.AddSchema<TestSchema>().AddGraphTypes(typeof(TestSchema).Assembly).AddSystemTextJson());
        builder.Services.AddGraphQLTransport();
        builder.Services.AddScoped<ScopeProbe>();
        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapGraphQLHttp();
        app.MapGraphQLWebSocket();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var http = new HttpClient { BaseAddress = address };
        var response = await http.GetAsync("/graphql?query=" + Uri.EscapeDataString("{ hello }"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(GraphQLWebSocketEndpoint.SubProtocol);
        using var deadline = new CancellationTokenSource(WsTestClient.Deadline);
        await socket.ConnectAsync(new Uri($"ws://{address.Authority}/graphql"), deadline.Token);
        await using var client = new WsTestClient(socket);
        await client.SendAsync("""{"type":"connection_init"}""");
        Assert.Equal("connection_ack", (await client.ReceiveMessageAsync()).GetProperty("type").GetString());
        await client.SendAsync("""{"id":"1","type":"subscribe","payload":{"query":"{ hello }"}}""");
        Assert.Equal("Hello, world!", (await client.ReceiveMessageAsync()).GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal("complete", (await client.ReceiveMessageAsync()).GetProperty("type").GetString());

        // shutting down closes open sockets (1001) instead of waiting for the host's shutdown timeout
        var stopping = app.StopAsync();
        Assert.Equal((int)WebSocketCloseStatus.EndpointUnavailable, (await client.ReceiveCloseAsync()).Code);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
        await stopping.WaitAsync(WsTestClient.Deadline);
    }
}
