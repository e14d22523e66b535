using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ThreatGraph.TestSupport;

/// <summary>
/// The Silo executable as a child process (as deploy/local-cluster.sh starts it), on Azure storage or in memory, on
/// free loopback ports, for tests that need a real socket or a process to kill. Its output is kept for failure
/// messages; disposing kills it (by its own process id).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>The host's readiness endpoint (Silo/Health/HealthEndpoints.ReadyPath): 200 once it serves.</summary>
    const string ReadyPath = "/health/ready";

    readonly Process _process;
    readonly StringBuilder _log = new();

    SiloProcess(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(3) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", DevKeys.JpAnalyst);
    }

    public int HttpPort { get; }
    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    /// <summary>A client of the gateway with the JP analyst's key.</summary>
    public HttpClient Http { get; }

    public string Log { get { lock (_log) return _log.ToString(); } }

    public sealed record Ports(int Http, int Silo, int Gateway)
    {
        public static Ports Free() => new(FreePort.Next(), FreePort.Next(), FreePort.Next());
    }

    /// <param name="connectionString">Azure Storage (Azurite); null: in-memory storage (nothing survives the process).</param>
    /// <param name="serviceId">Orleans service id (the storage's name space); null: a fresh one.</param>
    /// <param name="clusterId">Orleans cluster id; null: a fresh one.</param>
    /// <param name="ports">null: free ones.</param>
    /// <param name="extraArgs">More configuration, e.g. <c>--Federation:Deployment=jp</c>.</param>
    public static async Task<SiloProcess> StartAsync(string? connectionString = null, string? serviceId = null, string? clusterId = null,
        Ports? ports = null, params string[] extraArgs)
    {
        ports ??= Ports.Free();
        var fresh = Guid.NewGuid().ToString("N")[..8];
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                SiloDll, "--urls", $"http://127.0.0.1:{ports.Http}",
                $"--Orleans:ServiceId={serviceId ?? "test" + fresh}", $"--Orleans:ClusterId={clusterId ?? "test-" + fresh}",
                // Tests read the whole graph back in large aliased queries, fast: lift the abuse limits.
                "--Security:MaxAliases=10000", "--Security:RequestsPerSecond=100000", "--Security:Burst=100000",
                $"--Orleans:SiloPort={ports.Silo.ToString(CultureInfo.InvariantCulture)}",
                $"--Orleans:GatewayPort={ports.Gateway.ToString(CultureInfo.InvariantCulture)}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(SiloDll)!, // so that Silo's appsettings.json (log levels) applies
        };
        if (connectionString is not null)
        {
            start.ArgumentList.Add("--Orleans:Storage=azure");
            start.ArgumentList.Add($"--Orleans:AzureStorageConnectionString={connectionString}");
        }
        foreach (var arg in extraArgs)
        {
            start.ArgumentList.Add(arg);
        }
        var silo = new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), ports.Http);
        silo._process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        try
        {
            await silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    /// <summary>Waits until the process serves (or exits: then its exit code and log are the failure).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            await Poll.UntilAsync(async () =>
            {
                if (_process.HasExited) return true; // no use waiting: reported below
                using var r = await Http.GetAsync(ReadyPath);
                return r.IsSuccessStatusCode;
            }, timeout, $"silo on port {HttpPort} ready", TimeSpan.FromMilliseconds(250));
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // every line of its output read
                throw new InvalidOperationException($"silo exited with {_process.ExitCode}");
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- silo log ---\n{Tail(Log)}", e);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to the cluster.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait: a graceful stop (leaves the membership table clean).</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        Http.Dispose();
    }

    /// <summary>The Silo executable built beside the tests (same configuration: Debug or Release).</summary>
    static string SiloDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/
            var dll = RepoRoot.PathOf("Silo", "bin", configuration, "net10.0", "ThreatGraph.Silo.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the Silo first: {dll} is missing");
        }
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(line);
            if (_log.Length > 200_000) _log.Remove(0, 100_000);
        }
    }

    static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;
}
