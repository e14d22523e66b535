using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ThreatGraph.GraphApi.Tests;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>The real host (silo + gateway + the built dashboard) on a Kestrel loopback port a browser can reach.</summary>
public sealed class BrowserHost : ApiFactory
{
    public BrowserHost(int? port = null)
    {
        Port = port ?? FreePort.Next();
        UseKestrel(Port);
        StartServer();
    }

    public int Port { get; }

    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public string BaseUrl => $"http://127.0.0.1:{Port}";
}
