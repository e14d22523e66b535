using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>README "Who sees what": a key naming a reserved or unknown organisation, or a member outside its
/// organisation, authenticates nobody: refused at load (the file) or at start-up (configuration).</summary>
public sealed class KeyConfigurationTests(KeyConfigurationTests.Host host) : IClassFixture<KeyConfigurationTests.Host>
{
    /// <summary>One good key and the bad ones, in a keys file of its own.</summary>
    public sealed class Host : ApiFactory
    {
        public static readonly (string Id, string Org, string Member)[] Bad =
        [
            ("as-system", "@system", "@system"),
            ("as-reserved", "@ops", "@ops/root"),
            ("no-org", "", "/x"),
            ("unknown-org", "no-such-org", "no-such-org/x"),
            ("foreign-member", "jp-nisc", "us-cisa/analyst1"),
            ("org-as-member", "jp-nisc", "jp-nisc"),
        ];

        public string KeysFile { get; } = Path.Combine(Path.GetTempPath(), $"tg-keys-{Guid.NewGuid():N}.json");
        public CapturingLoggerProvider Logs { get; } = new();

        public Host()
        {
            var keys = new JsonArray(Entry("good", "jp-nisc", "jp-nisc/good"));
            foreach (var (id, org, member) in Bad)
            {
                keys.Add(Entry(id, org, member));
            }
            File.WriteAllText(KeysFile, new JsonObject { ["keys"] = keys }.ToJsonString());
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:KeysFile", KeysFile);
            builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(Logs));
        }

        static JsonObject Entry(string id, string org, string member) => new()
        {
            ["id"] = id, ["org"] = org, ["member"] = member, ["sha256"] = Hash(Secret(id)), ["roles"] = new JsonArray("analyst", "ingest"),
        };

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            File.Delete(KeysFile);
        }
    }

    public static string Secret(string id) => id + "-secret";

    static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    [Fact]
    public async Task File_entries_naming_a_reserved_or_unknown_organisation_are_refused_at_load_and_the_others_work()
    {
        using (var good = host.ClientFor(Secret("good")))
        using (var ok = await good.PostAsJsonAsync("/graphql", new { query = "{ typeCounts { type } }" }))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        foreach (var (id, _, _) in Host.Bad)
        {
            using var client = host.ClientFor(Secret(id));
            using var response = await client.PostAsJsonAsync("/graphql", new { query = "{ typeCounts { type } }" });
            Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, $"{id}: {response.StatusCode}");
            Assert.Contains(host.Logs.Errors, m => m.Contains($"'{id}'", StringComparison.Ordinal) && m.Contains(host.KeysFile, StringComparison.Ordinal));

            // connection_init's apiKey goes through the same store.
            var ws = host.Server.CreateWebSocketClient();
            ws.SubProtocols.Add("graphql-transport-ws");
            await using var socket = new TestSupport.WsTestClient(await ws.ConnectAsync(new Uri(host.Server.BaseAddress, "graphql"), CancellationToken.None));
            await socket.SendAsync(JsonSerializer.Serialize(new { type = "connection_init", payload = new { apiKey = Secret(id) } }));
            Assert.Equal(4403, (await socket.ReceiveCloseAsync()).Code);
        }
    }

    public static TheoryData<string, string, string> BadConfiguredKeys => new()
    {
        { "@system", "@system", "Security:Keys:0:Org" },
        { "@x", "@x/y", "Security:Keys:0:Org" },
        { "", "/y", "Security:Keys:0:Org" },
        { "no-such-org", "no-such-org/y", "Security:Keys:0:Org" },
        { "jp-nisc", "us-cisa/analyst1", "Security:Keys:0:Member" },
    };

    [Theory]
    [MemberData(nameof(BadConfiguredKeys))]
    public void A_configured_key_naming_a_reserved_or_unknown_organisation_stops_the_start_up(string org, string member, string setting)
    {
        using var factory = new ConfiguredKeyHost(org, member);
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains(setting, messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_key_has_exactly_the_roles_it_names()
    {
        // The configuration binder appends to a list that has items: a default of analyst+ingest would have let this
        // auditor-only key write.
        using var factory = new ConfiguredKeyHost("jp-nisc", "jp-nisc/auditor9", "auditor");
        var campaign = TestSupport.StixBuilder.Sdo("campaign", name: "by a configured auditor");
        var (status, _) = await factory.PostBundleAsync(ApiFactory.Bundle(campaign), apiKey: ConfiguredKeyHost.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var log = await factory.DataAsync("query($from: String!) { auditLog(from: $from) { org } }",
            new { from = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") }, ConfiguredKeyHost.Secret);
        Assert.All(log["auditLog"]!.AsArray(), r => Assert.Equal("jp-nisc", r!["org"]!.GetValue<string>()));
    }

    sealed class ConfiguredKeyHost(string org, string member, string role = "analyst") : ApiFactory
    {
        public const string Secret = "configured-secret";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:Keys:0:Id", "configured");
            builder.UseSetting("Security:Keys:0:Org", org);
            builder.UseSetting("Security:Keys:0:Member", member);
            builder.UseSetting("Security:Keys:0:Sha256", Hash(Secret));
            builder.UseSetting("Security:Keys:0:Roles:0", role);
        }
    }

    static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a)
            {
                foreach (var inner in a.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}

/// <summary>Keeps every log message of level Error and above.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    readonly ConcurrentQueue<string> _errors = new();

    public IEnumerable<string> Errors => _errors;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._errors.Enqueue(formatter(state, exception));
            }
        }
    }
}
