using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Taxii.Tests;

/// <summary>The service as a child process (<c>dotnet ThreatGraph.Silo.dll --urls …</c>) on a free loopback port, for
/// clients that need a real socket. Killed (by its own process id) on dispose.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    readonly Process _process;

    public string BaseUrl { get; }

    SiloProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public static async Task<SiloProcess> StartAsync()
    {
        var port = TaxiiFactory.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var dll = Path.Combine(AppContext.BaseDirectory, "ThreatGraph.Silo.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
                 {
                     dll, "--urls", baseUrl,
                     "--Orleans:SiloPort", TaxiiFactory.FreePort().ToString(CultureInfo.InvariantCulture),
                     "--Orleans:GatewayPort", TaxiiFactory.FreePort().ToString(CultureInfo.InvariantCulture),
                     "--Orleans:ClusterId", "taxii-client-" + Guid.NewGuid().ToString("N"),
                 })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, baseUrl);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with {process.ExitCode} before listening on {baseUrl}");
            }
            try
            {
                using var response = await http.GetAsync(baseUrl + "/taxii2/");
                if ((int)response.StatusCode == 401)
                {
                    return silo;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        await silo.DisposeAsync();
        throw new TimeoutException($"the silo did not answer on {baseUrl} within 60 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>Runs a script under Taxii.Tests/client with python3; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunPythonAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoRoot.Path, "Taxii.Tests", "client", script));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
