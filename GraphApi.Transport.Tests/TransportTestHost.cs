using ThreatGraph.TestSupport;
using System.Net.WebSockets;
using GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThreatGraph.GraphApi.Transport.Tests.Schema;

namespace ThreatGraph.GraphApi.Transport.Tests;

/// <summary>A WebApplication on TestServer serving the test schema through both transports at /graphql.</summary>
internal sealed class TransportTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TransportTestHost(WebApplication app) => _app = app;

    public TestServer Server => _app.GetTestServer();

    public IServiceProvider Services => _app.Services;

    public static async Task<TransportTestHost> StartAsync(Action<GraphQLTransportOptions>? configure = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddGraphQL(b => b
            .AddSchema<TestSchema>()
            .AddGraphTypes(typeof(TestSchema).Assembly)
            .AddSystemTextJson());
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddGraphQLTransport(configure);
        builder.Services.AddSingleton<TickProbe>();
        builder.Services.AddSingleton<ManualSource>();
        builder.Services.AddSingleton<WaitProbe>();
        builder.Services.AddScoped<ScopeProbe>();

        var app = builder.Build();
        app.UseWebSockets();
        app.MapGraphQLHttp();
        app.MapGraphQLWebSocket();
        await app.StartAsync();
        return new TransportTestHost(app);
    }

    public HttpClient CreateClient() => Server.CreateClient();

    public async Task<WsTestClient> ConnectAsync(string? subProtocol = GraphQLWebSocketEndpoint.SubProtocol)
    {
        var client = Server.CreateWebSocketClient();
        if (subProtocol is not null)
        {
            client.SubProtocols.Add(subProtocol);
        }

        WebSocket socket = await client.ConnectAsync(new Uri(Server.BaseAddress, "graphql"), CancellationToken.None);
        return new WsTestClient(socket);
    }

    /// <summary>Connects and completes connection_init/connection_ack.</summary>
    public async Task<WsTestClient> ConnectAckedAsync()
    {
        var client = await ConnectAsync();
        await client.SendAsync("""{"type":"connection_init"}""");
        var ack = await client.ReceiveMessageAsync();
        Assert.Equal("connection_ack", ack.GetProperty("type").GetString());
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
