using ThreatGraph.TestSupport;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ThreatGraph.GraphApi.Transport.Tests.Schema;

namespace ThreatGraph.GraphApi.Transport.Tests;

public sealed class GraphQLWebSocketEndpointTests
{
    private static string Subscribe(string id, string query)
        => JsonSerializer.Serialize(new { id, type = "subscribe", payload = new { query } });

    private static string Type(JsonElement message) => message.GetProperty("type").GetString()!;

    /// <summary>Proves nothing else is queued: the reply to a ping is the very next message.</summary>
    private static async Task AssertNextIsPongAsync(WsTestClient client)
    {
        await client.SendAsync("""{"type":"ping"}""");
        Assert.Equal("pong", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Connection_init_is_acknowledged_on_the_negotiated_subprotocol()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        Assert.Equal("graphql-transport-ws", client.Socket.SubProtocol);
    }

    [Fact]
    public async Task Ping_gets_pong_and_pong_is_ignored()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync("""{"type":"pong","payload":{"x":1}}""");
        await client.SendAsync("""{"type":"ping","payload":{"x":1}}""");

        Assert.Equal("pong", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Ping_before_init_gets_pong()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAsync();

        await AssertNextIsPongAsync(client);
    }

    [Fact]
    public async Task Subscribe_before_ack_closes_4401()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAsync();

        await client.SendAsync(Subscribe("1", "{ hello }"));

        Assert.Equal((4401, "Unauthorized"), await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Subscribe_with_an_active_id_closes_4409()
    {
        await using var host = await TransportTestHost.StartAsync();
        var source = host.Services.GetRequiredService<ManualSource>();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("op-1", "subscription { manual }"));
        await Poll.UntilAsync(() => source.ObserverCount == 1, WsTestClient.Deadline, "the first subscription is active");
        await client.SendAsync(Subscribe("op-1", "subscription { manual }"));

        Assert.Equal((4409, "Subscriber for op-1 already exists"), await client.ReceiveCloseAsync());
        await Poll.UntilAsync(() => source.ObserverCount == 0, WsTestClient.Deadline, "the close disposed the subscription");
    }

    [Fact]
    public async Task Id_can_be_reused_after_complete()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("same", "{ hello }"));
        Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
        await client.SendAsync(Subscribe("same", "{ hello }"));

        Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Second_connection_init_closes_4429()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync("""{"type":"connection_init"}""");

        Assert.Equal((4429, "Too many initialisation requests"), await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Rejected_connection_init_closes_4403()
    {
        await using var host = await TransportTestHost.StartAsync(o => o.OnConnectionInit = _ => ValueTask.FromResult(false));
        await using var client = await host.ConnectAsync();

        await client.SendAsync("""{"type":"connection_init"}""");

        Assert.Equal((4403, "Forbidden"), await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Connection_init_hook_sees_the_payload_and_sets_the_user()
    {
        await using var host = await TransportTestHost.StartAsync(o => o.OnConnectionInit = ctx =>
        {
            if (ctx.Payload?.TryGetValue("token", out var token) != true || token as string != "s3cret")
            {
                return ValueTask.FromResult(false);
            }

            ctx.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "token"));
            return ValueTask.FromResult(true);
        });
        await using var client = await host.ConnectAsync();

        await client.SendAsync("""{"type":"connection_init","payload":{"token":"s3cret"}}""");
        Assert.Equal("connection_ack", Type(await client.ReceiveMessageAsync()));
        await client.SendAsync(Subscribe("1", "{ whoami }"));

        var next = await client.ReceiveMessageAsync();
        Assert.Equal("alice", next.GetProperty("payload").GetProperty("data").GetProperty("whoami").GetString());

        await using var wrong = await host.ConnectAsync();
        await wrong.SendAsync("""{"type":"connection_init","payload":{"token":"guess"}}""");
        Assert.Equal(4403, (await wrong.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task No_connection_init_within_the_timeout_closes_4408()
    {
        await using var host = await TransportTestHost.StartAsync(o => o.ConnectionInitWaitTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await host.ConnectAsync();

        Assert.Equal((4408, "Connection initialisation timeout"), await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Acknowledged_connection_outlives_the_init_timeout()
    {
        var time = new FakeTimeProvider();
        await using var host = await TransportTestHost.StartAsync(time: time);
        await using var client = await host.ConnectAckedAsync();

        time.Advance(TimeSpan.FromSeconds(GraphQLTransportOptions.DefaultConnectionInitWaitTimeoutSeconds * 2));

        await AssertNextIsPongAsync(client);
        await client.SendAsync(Subscribe("1", "{ hello }"));
        Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"id":"1"}""")]
    [InlineData("""{"type":"start","id":"1"}""")]
    [InlineData("""{"type":"next","id":"1","payload":{}}""")]
    [InlineData("""{"type":"complete"}""")]
    public async Task Invalid_message_closes_4400(string message)
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(message);

        Assert.Equal(4400, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task Subscribe_without_payload_closes_4400()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync("""{"type":"subscribe","id":"1"}""");

        Assert.Equal(4400, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task Binary_message_closes_4400()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.Socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"ping"}"""), WebSocketMessageType.Binary, true, CancellationToken.None);

        Assert.Equal(4400, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task Multi_frame_message_is_reassembled()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();
        var bytes = Encoding.UTF8.GetBytes(Subscribe("1", "{ hello(name: \"" + new string('z', 10_000) + "\") }"));

        for (var offset = 0; offset < bytes.Length; offset += 1000)
        {
            var count = Math.Min(1000, bytes.Length - offset);
            await client.Socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count == bytes.Length, CancellationToken.None);
        }

        var next = await client.ReceiveMessageAsync();
        Assert.Equal(10_008, next.GetProperty("payload").GetProperty("data").GetProperty("hello").GetString()!.Length);
    }

    [Fact]
    public async Task Message_over_the_size_cap_closes_1009()
    {
        await using var host = await TransportTestHost.StartAsync(o => o.MaxWebSocketMessageBytes = 1024);
        await using var client = await host.ConnectAckedAsync();
        var bytes = Encoding.UTF8.GetBytes(Subscribe("1", "{ hello(name: \"" + new string('z', 2000) + "\") }"));

        for (var offset = 0; offset < bytes.Length; offset += 500)
        {
            var count = Math.Min(500, bytes.Length - offset);
            await client.Socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count == bytes.Length, CancellationToken.None);
        }

        Assert.Equal((int)WebSocketCloseStatus.MessageTooBig, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task Query_via_subscribe_gets_next_then_complete()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("q", "{ hello(name: \"ws\") }"));

        var next = await client.ReceiveMessageAsync();
        Assert.Equal("next", Type(next));
        Assert.Equal("q", next.GetProperty("id").GetString());
        Assert.Equal("Hello, ws!", next.GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
        var complete = await client.ReceiveMessageAsync();
        Assert.Equal("complete", Type(complete));
        Assert.Equal("q", complete.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Mutation_via_subscribe_gets_next_then_complete()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("m", "mutation { echo(text: \"over ws\") }"));

        Assert.Equal("over ws", (await client.ReceiveMessageAsync()).GetProperty("payload").GetProperty("data").GetProperty("echo").GetString());
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Subscription_gets_a_next_per_event_in_order_then_complete()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("s", "subscription { ticks(count: 5) }"));

        for (var i = 0; i < 5; i++)
        {
            var next = await client.ReceiveMessageAsync();
            Assert.Equal("next", Type(next));
            Assert.Equal("s", next.GetProperty("id").GetString());
            Assert.Equal(i, next.GetProperty("payload").GetProperty("data").GetProperty("ticks").GetInt32());
        }

        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Validation_error_gets_error_with_an_array_and_no_complete()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("bad", "{ nope }"));

        var error = await client.ReceiveMessageAsync();
        Assert.Equal("error", Type(error));
        Assert.Equal("bad", error.GetProperty("id").GetString());
        var payload = error.GetProperty("payload");
        Assert.Equal(JsonValueKind.Array, payload.ValueKind);
        Assert.Contains("nope", payload[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertNextIsPongAsync(client);
    }

    [Fact]
    public async Task Resolver_exception_over_ws_does_not_leak_details()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("b", "{ boom }"));

        var next = await client.ReceiveMessageAsync();
        Assert.Equal("next", Type(next));
        Assert.DoesNotContain("secret detail", next.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Client_complete_disposes_the_subscription_and_stops_events()
    {
        await using var host = await TransportTestHost.StartAsync();
        var source = host.Services.GetRequiredService<ManualSource>();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("m", "subscription { manual }"));
        await Poll.UntilAsync(() => source.ObserverCount == 1, WsTestClient.Deadline, "the subscription reached the source");
        source.Publish("first");
        Assert.Equal("first", (await client.ReceiveMessageAsync()).GetProperty("payload").GetProperty("data").GetProperty("manual").GetString());

        await client.SendAsync("""{"type":"complete","id":"m"}""");
        await Poll.UntilAsync(() => source.ObserverCount == 0, WsTestClient.Deadline, "client complete disposed the source subscription");
        source.Publish("second");

        await AssertNextIsPongAsync(client);
    }

    [Fact]
    public async Task Server_stream_completion_sends_complete()
    {
        await using var host = await TransportTestHost.StartAsync();
        var source = host.Services.GetRequiredService<ManualSource>();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("m", "subscription { manual }"));
        await Poll.UntilAsync(() => source.ObserverCount == 1, WsTestClient.Deadline, "the subscription reached the source");
        source.Publish("only");
        source.Complete();

        Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
        var complete = await client.ReceiveMessageAsync();
        Assert.Equal("complete", Type(complete));
        Assert.Equal("m", complete.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Socket_close_disposes_all_subscriptions()
    {
        await using var host = await TransportTestHost.StartAsync();
        var source = host.Services.GetRequiredService<ManualSource>();
        var client = await host.ConnectAckedAsync();
        await client.SendAsync(Subscribe("a", "subscription { manual }"));
        await client.SendAsync(Subscribe("b", "subscription { manual }"));
        await Poll.UntilAsync(() => source.ObserverCount == 2, WsTestClient.Deadline, "both subscriptions reached the source");

        await client.DisposeAsync();

        await Poll.UntilAsync(() => source.ObserverCount == 0, WsTestClient.Deadline, "closing the socket disposed every subscription");
    }

    [Fact]
    public async Task Aborted_socket_disposes_all_subscriptions()
    {
        await using var host = await TransportTestHost.StartAsync();
        var source = host.Services.GetRequiredService<ManualSource>();
        var client = await host.ConnectAckedAsync();
        await client.SendAsync(Subscribe("a", "subscription { manual }"));
        await Poll.UntilAsync(() => source.ObserverCount == 1, WsTestClient.Deadline, "the subscription reached the source");

        client.Socket.Abort();

        await Poll.UntilAsync(() => source.ObserverCount == 0, WsTestClient.Deadline, "aborting the socket disposed the subscription");
    }

    [Fact]
    public async Task Slow_consumer_never_blocks_the_producer()
    {
        await using var host = await TransportTestHost.StartAsync();
        var probe = host.Services.GetRequiredService<TickProbe>();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("flood", "subscription { ticks(count: 10000) }"));

        // the client reads nothing until the producer is done
        await Poll.UntilAsync(() => probe.Finished.Task.IsCompleted, TimeSpan.FromSeconds(30), "the producer finished emitting while nobody read");

        // Whatever happened must be one of the two documented outcomes: every event then complete (the queue kept up),
        // or a close with 4413 (the queue filled) — never a stall.
        var expected = 0;
        while (true)
        {
            var (message, status, _) = await client.ReceiveAsync();
            if (message is null)
            {
                Assert.Equal(GraphQLWebSocketCloseCodes.SlowConsumer, (int)status!.Value);
                break;
            }

            if (Type(message.Value) == "complete")
            {
                Assert.Equal(10_000, expected);
                Assert.Equal(10_000, probe.Emitted);
                break;
            }

            Assert.Equal(expected++, message.Value.GetProperty("payload").GetProperty("data").GetProperty("ticks").GetInt32());
        }
    }

    [Fact]
    public async Task Full_send_queue_closes_4413_and_disposes_subscriptions()
    {
        await using var host = await TransportTestHost.StartAsync(o => o.SendQueueCapacity = 1);
        var source = host.Services.GetRequiredService<ManualSource>();
        await using var client = await host.ConnectAckedAsync();
        await client.SendAsync(Subscribe("m", "subscription { manual }"));
        await Poll.UntilAsync(() => source.ObserverCount == 1, WsTestClient.Deadline, "the subscription reached the source");

        // publish until the one-slot queue overflows; each Publish returns at once whatever the socket does
        for (var i = 0; i < 100_000 && source.ObserverCount > 0; i++)
        {
            source.Publish("e" + i);
        }

        await Poll.UntilAsync(() => source.ObserverCount == 0, WsTestClient.Deadline, "the overflow disposed the subscription");
        (JsonElement? Message, WebSocketCloseStatus? Status, string? Reason) frame;
        do
        {
            frame = await client.ReceiveAsync();
        }
        while (frame.Message is not null);

        Assert.Equal(GraphQLWebSocketCloseCodes.SlowConsumer, (int)frame.Status!.Value);
    }

    [Fact]
    public async Task Each_operation_gets_its_own_service_scope()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("1", "{ scopeId }"));
        var first = (await client.ReceiveMessageAsync()).GetProperty("payload").GetProperty("data").GetProperty("scopeId").GetString();
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
        await client.SendAsync(Subscribe("2", "{ scopeId }"));
        var second = (await client.ReceiveMessageAsync()).GetProperty("payload").GetProperty("data").GetProperty("scopeId").GetString();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Missing_subprotocol_closes_4406()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAsync(subProtocol: null);

        Assert.Equal(4406, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task Http_and_websocket_share_the_path()
    {
        await using var host = await TransportTestHost.StartAsync();
        using var http = host.CreateClient();
        await using var client = await host.ConnectAckedAsync();

        var response = await http.GetAsync("/graphql?query=" + Uri.EscapeDataString("{ hello }"));
        await client.SendAsync(Subscribe("1", "{ hello }"));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Fragment_bomb_over_subscribe_gets_error_and_the_connection_stays_open()
    {
        await using var host = await TransportTestHost.StartAsync();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("bomb", GraphQLDocumentLimiterTests.FragmentBomb(30)));
        var error = await client.ReceiveMessageAsync();

        Assert.Equal("error", Type(error));
        Assert.Equal("bomb", error.GetProperty("id").GetString());
        Assert.Contains("GraphQL:Transport:MaxExpandedFields", error.GetProperty("payload")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertNextIsPongAsync(client);
        await client.SendAsync(Subscribe("after", "{ hello }"));
        Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Subscribe_over_the_operation_limit_gets_error_while_the_first_twenty_keep_delivering()
    {
        await using var host = await TransportTestHost.StartAsync();
        var source = host.Services.GetRequiredService<ManualSource>();
        await using var client = await host.ConnectAckedAsync();
        var first = Enumerable.Range(1, 20).Select(i => "s" + i).ToList();
        foreach (var id in first)
        {
            await client.SendAsync(Subscribe(id, "subscription { manual }"));
        }

        await Poll.UntilAsync(() => source.ObserverCount == 20, WsTestClient.Deadline, "twenty subscriptions reached the source");
        await client.SendAsync(Subscribe("s21", "subscription { manual }"));
        var refused = await client.ReceiveMessageAsync();

        Assert.Equal("error", Type(refused));
        Assert.Equal("s21", refused.GetProperty("id").GetString());
        var error = refused.GetProperty("payload")[0];
        Assert.Contains("already has 20 active operations", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("TOO_MANY_OPERATIONS", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(20, source.ObserverCount);

        source.Publish("still here");
        Assert.Equal(first.Order(StringComparer.Ordinal), await NextIdsAsync(client, 20, "still here"));

        // a completed operation frees its slot
        await client.SendAsync("""{"type":"complete","id":"s1"}""");
        await Poll.UntilAsync(() => source.ObserverCount == 19, WsTestClient.Deadline, "complete freed a slot");
        await client.SendAsync(Subscribe("s21", "subscription { manual }"));
        await Poll.UntilAsync(() => source.ObserverCount == 20, WsTestClient.Deadline, "the 21st subscription was accepted");
        source.Publish("again");
        Assert.Contains("s21", await NextIdsAsync(client, 20, "again"));
    }

    /// <summary>The ids of the next <paramref name="count"/> messages, each a <c>next</c> carrying <paramref name="value"/>.</summary>
    private static async Task<List<string>> NextIdsAsync(WsTestClient client, int count, string value)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var message = await client.ReceiveMessageAsync();
            Assert.Equal("next", Type(message));
            Assert.Equal(value, message.GetProperty("payload").GetProperty("data").GetProperty("manual").GetString());
            ids.Add(message.GetProperty("id").GetString()!);
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    [Fact]
    public async Task Client_complete_cancels_a_running_query()
    {
        await using var host = await TransportTestHost.StartAsync();
        var probe = host.Services.GetRequiredService<WaitProbe>();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("w", "{ wait }"));
        await probe.Started.Task.WaitAsync(WsTestClient.Deadline);
        await client.SendAsync("""{"type":"complete","id":"w"}""");

        await probe.Cancelled.Task.WaitAsync(WsTestClient.Deadline);
        await AssertNextIsPongAsync(client); // nothing is sent for an operation the client completed
    }

    [Fact]
    public async Task Socket_close_cancels_a_running_query()
    {
        await using var host = await TransportTestHost.StartAsync();
        var probe = host.Services.GetRequiredService<WaitProbe>();
        var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("w", "{ wait }"));
        await probe.Started.Task.WaitAsync(WsTestClient.Deadline);
        client.Socket.Abort();
        client.Socket.Dispose();

        await probe.Cancelled.Task.WaitAsync(WsTestClient.Deadline);
    }

    [Fact]
    public async Task Execution_over_the_time_budget_gets_a_timeout_result_then_complete()
    {
        var time = new FakeTimeProvider();
        await using var host = await TransportTestHost.StartAsync(o => o.MaxExecutionTime = TimeSpan.FromSeconds(5), time);
        var probe = host.Services.GetRequiredService<WaitProbe>();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("w", "{ wait }"));
        await probe.Started.Task.WaitAsync(WsTestClient.Deadline);
        time.Advance(TimeSpan.FromSeconds(5));
        var next = await client.ReceiveMessageAsync();

        Assert.Equal("next", Type(next));
        Assert.Equal("w", next.GetProperty("id").GetString());
        Assert.Equal("The operation ran longer than 5 s and was cancelled.",
            next.GetProperty("payload").GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
        Assert.True(probe.Cancelled.Task.IsCompleted, "the resolver's token was cancelled");
    }

    [Fact]
    public async Task A_subscription_outlives_the_execution_budget()
    {
        var time = new FakeTimeProvider();
        await using var host = await TransportTestHost.StartAsync(o => o.MaxExecutionTime = TimeSpan.FromSeconds(5), time);
        var source = host.Services.GetRequiredService<ManualSource>();
        await using var client = await host.ConnectAckedAsync();

        await client.SendAsync(Subscribe("m", "subscription { manual }"));
        await Poll.UntilAsync(() => source.ObserverCount == 1, WsTestClient.Deadline, "the subscription reached the source");
        time.Advance(TimeSpan.FromMinutes(1));
        source.Publish("a minute later");

        var next = await client.ReceiveMessageAsync();
        Assert.Equal("a minute later", next.GetProperty("payload").GetProperty("data").GetProperty("manual").GetString());
        Assert.Equal(1, source.ObserverCount);
    }
}
