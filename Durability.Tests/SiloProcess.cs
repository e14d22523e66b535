using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ThreatGraph.Durability.Tests;

/// <summary>The Silo executable as a child process (as deploy/local-cluster.sh starts it), on Azure storage or in memory.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _log = new();

    SiloProcess(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(3) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", "jp-analyst-dev-key");
    }

    public int HttpPort { get; }
    public HttpClient Http { get; }
    public string Log { get { lock (_log) return _log.ToString(); } }

    public sealed record Ports(int Http, int Silo, int Gateway)
    {
        public static Ports Free() => new(Tests.Ports.Free(), Tests.Ports.Free(), Tests.Ports.Free());
    }

    /// <param name="connectionString">Azure Storage (Azurite); null: in-memory storage (nothing survives the process).</param>
    /// <param name="extraArgs">More configuration, e.g. <c>--Federation:Deployment=jp</c>.</param>
    public static async Task<SiloProcess> StartAsync(string? connectionString, string serviceId, string clusterId, Ports ports, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Repo.SiloDll, "--urls", $"http://127.0.0.1:{ports.Http}",
                $"--Orleans:ServiceId={serviceId}", $"--Orleans:ClusterId={clusterId}",
                // These tests read the whole graph back in large aliased queries, fast: lift the abuse limits.
                "--Security:MaxAliases=10000", "--Security:RequestsPerSecond=100000", "--Security:Burst=100000",
                $"--Orleans:SiloPort={ports.Silo.ToString(CultureInfo.InvariantCulture)}",
                $"--Orleans:GatewayPort={ports.Gateway.ToString(CultureInfo.InvariantCulture)}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Repo.SiloDll)!, // so that Silo's appsettings.json (log levels) applies
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
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    public async Task WaitReadyAsync(TimeSpan deadline)
    {
        try
        {
            await Poll.UntilAsync(async () =>
            {
                if (_process.HasExited) return true; // no use waiting: reported below
                using var r = await Http.GetAsync(Silo.Health.HealthEndpoints.ReadyPath);
                return r.IsSuccessStatusCode;
            }, deadline, $"silo on port {HttpPort} ready");
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
