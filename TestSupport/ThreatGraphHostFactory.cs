using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ThreatGraph.TestSupport;

/// <summary>
/// The real host (silo + gateway in one process, as <c>dotnet run --project Silo</c> starts it) on a test server,
/// with Orleans on free loopback ports and a cluster of its own, so that several hosts and a running dev server can
/// coexist. Clients send the JP analyst's key unless told otherwise. Generic over the host's entry point so that
/// test projects that do not build the host can still use this library.
/// </summary>
public class ThreatGraphHostFactory<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    /// <summary>One more configuration setting (before the host starts), e.g. <c>Api:MaxBundleBytes</c>; it wins over
    /// the defaults of this class and of subclasses that set theirs before calling <see cref="ConfigureWebHost"/> here.</summary>
    public void UseSetting(string key, string value) => _settings[key] = value;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", "test-" + Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("X-Api-Key", DevKeys.JpAnalyst);
    }

    /// <summary>A client with another key (null: no credentials).</summary>
    public HttpClient ClientFor(string? apiKey = DevKeys.JpAnalyst)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        return client;
    }
}
