using System.Diagnostics;

namespace ThreatGraph.Taxii.Tests;

/// <summary>The independent TAXII clients under Taxii.Tests/client, run with python3.</summary>
public static class PythonClient
{
    /// <summary>Runs <paramref name="script"/> with the arguments; its exit code and output (two minutes at most).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepoRoot.PathOf("Taxii.Tests", "client", script));
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
