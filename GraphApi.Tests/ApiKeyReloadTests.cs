using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.GraphApi.Security;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>Key rotation without a restart (README "Configuration", Security:KeysFile): the options monitor re-reads
/// the file when it changes; the test awaits that change, then asks over HTTP.</summary>
public sealed class ApiKeyReloadTests(ApiKeyReloadTests.Host host) : IClassFixture<ApiKeyReloadTests.Host>
{
    public sealed class Host : ApiFactory
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("tg-reload-").FullName;
        public string KeysFile => Path.Combine(Folder, "keys.json");
        public CapturingLoggerProvider Logs { get; } = new();

        public Host() => File.WriteAllText(KeysFile, Keys("first"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:KeysFile", KeysFile);
            builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(Logs));
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            // Disposed synchronously and asynchronously: the second time the folder is gone.
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
    }

    static string Secret(string id) => id + "-reload-secret";

    static string Keys(params string[] ids) => new JsonObject
    {
        ["keys"] = new JsonArray([.. ids.Select(id => new JsonObject
        {
            ["id"] = id, ["org"] = "jp-nisc", ["member"] = "jp-nisc/" + id,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret(id)))), ["roles"] = new JsonArray("analyst"),
        })]),
    }.ToJsonString();

    [Fact]
    public async Task Rewriting_the_keys_file_admits_the_new_key_and_refuses_the_removed_one_without_a_restart()
    {
        await RewriteAsync(Keys("first"), f => f.ReadError is null && f.Keys.Select(k => k.Id).SequenceEqual(["first"]));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("first"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("second"));

        await RewriteAsync(Keys("second"), f => f.ReadError is null && f.Keys.Select(k => k.Id).SequenceEqual(["second"]));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("second"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("first"));
    }

    [Fact]
    public async Task A_keys_file_that_cannot_be_read_leaves_the_previous_keys_in_force_and_says_so()
    {
        await RewriteAsync(Keys("kept"), f => f.ReadError is null && f.Keys.Select(k => k.Id).SequenceEqual(["kept"]));

        await RewriteAsync("{\"keys\": [ {\"id\": \"half-writ", f => f.ReadError is not null);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("kept"));
        Assert.Contains(host.Logs.Errors, m => m.Contains("Cannot read API keys file", StringComparison.Ordinal) && m.Contains(host.KeysFile, StringComparison.Ordinal));
    }

    /// <summary>Replaces the file in one step (as a rotation should) and waits until the options monitor has read a
    /// version of it that <paramref name="read"/> accepts; the key store listens to the same monitor and was told first.</summary>
    async Task RewriteAsync(string contents, Func<ApiKeysFile, bool> read)
    {
        _ = host.Server; // the host (and its key store) is running before the file changes
        var monitor = host.Services.GetRequiredService<IOptionsMonitor<ApiKeysFile>>();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = monitor.OnChange(f =>
        {
            if (read(f))
            {
                changed.TrySetResult();
            }
        });
        var staged = host.KeysFile + ".new";
        await File.WriteAllTextAsync(staged, contents);
        File.Move(staged, host.KeysFile, overwrite: true);
        try
        {
            await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the options monitor did not read the rewritten {host.KeysFile} within 30 s");
        }
    }

    async Task<HttpStatusCode> StatusAsync(string id)
    {
        using var client = host.ClientFor(Secret(id));
        using var response = await client.PostAsJsonAsync("/graphql", new { query = "{ typeCounts { type } }" });
        return response.StatusCode;
    }
}
