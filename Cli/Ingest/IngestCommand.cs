using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;

namespace ThreatGraph.Cli.Ingest;

/// <summary>
/// <c>threatgraph ingest --key KEY [--url URL] PATH...</c>: sends STIX bundles from files or folders to a running
/// ThreatGraph (<c>POST /api/bundles</c>), one request per file, with progress and a summary.
/// </summary>
public static class IngestCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const string KeyVariable = "THREATGRAPH_API_KEY";

    /// <summary>Exit codes besides 0 (everything accepted) and System.CommandLine's 1 (the command line is wrong).</summary>
    public const int SomeRefused = 2, Stopped = 3;

    public static Command Create(HttpMessageHandler? handler)
    {
        var key = new Option<string>("--key", "-k")
        {
            Description = $"API key sent as X-Api-Key (the development keys are in the README); without it, ${KeyVariable}.",
            HelpName = "API_KEY",
        };
        var url = new Option<Uri>("--url", "-u")
        {
            Description = "Base URL of the ThreatGraph gateway.",
            HelpName = "URL",
            DefaultValueFactory = _ => new Uri(DefaultUrl),
            CustomParser = ParseUrl,
        };
        var paths = new Argument<FileSystemInfo[]>("PATH")
        {
            Description = "STIX bundle files, or folders searched recursively for *.json, *.stix2 and *.stix files.",
            Arity = ArgumentArity.OneOrMore,
        };
        paths.AcceptExistingOnly();
        var command = new Command("ingest",
            "Send STIX 2.1 (or 2.0) bundles to a running ThreatGraph, one request per file, and report what it created, " +
            "updated, left unchanged and rejected. Exit code: 0 every object accepted, 1 bad command line, " +
            $"{SomeRefused} some objects or files refused by the server, {Stopped} stopped (server unreachable, key refused).")
        {
            key, url, paths,
        };
        // The key is read here, not as the option's default, so that --help never prints a secret from the environment.
        static string? KeyOf(string? given) => string.IsNullOrWhiteSpace(given) ? Environment.GetEnvironmentVariable(KeyVariable) : given;
        command.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(KeyOf(r.GetValue(key))))
            {
                r.AddError($"no API key: pass --key API_KEY or set {KeyVariable}");
            }
        });
        command.SetAction((result, cancel) => RunAsync(
            KeyOf(result.GetValue(key))!, result.GetRequiredValue(url), result.GetRequiredValue(paths),
            handler, result.InvocationConfiguration, cancel));
        return command;
    }

    static Uri? ParseUrl(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }
        result.AddError($"--url '{text}' is not an http:// or https:// URL (e.g. {DefaultUrl})");
        return null;
    }

    static async Task<int> RunAsync(string key, Uri url, FileSystemInfo[] paths, HttpMessageHandler? handler,
        InvocationConfiguration console, CancellationToken cancel)
    {
        var files = BundleFiles.Expand(paths);
        if (files.Count == 0)
        {
            await console.Error.WriteLineAsync($"no .json, .stix2 or .stix files in {string.Join(", ", paths.Select(p => p.FullName))}");
            return SomeRefused;
        }
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = url;
        http.Timeout = TimeSpan.FromMinutes(10);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var uploader = new BundleUploader(http);
        var tally = new IngestTally();
        var progress = new IngestProgress(console.Output, files.Count, interactive: handler is null && !Console.IsOutputRedirected);
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            try
            {
                tally.Add(file, await uploader.SendAsync(file, cancel));
            }
            catch (IngestStoppedException e)
            {
                progress.Done(tally);
                await console.Error.WriteLineAsync(e.Message);
                return Stopped;
            }
            progress.Report(tally, file);
        }
        progress.Done(tally);
        await console.Output.WriteLineAsync(tally.Summary(clock.Elapsed));
        foreach (var problem in tally.Problems.Take(50))
        {
            await console.Output.WriteLineAsync("  " + problem);
        }
        if (tally.Problems.Count > 50)
        {
            await console.Output.WriteLineAsync($"  … and {tally.Problems.Count - 50} more");
        }
        return tally.Problems.Count == 0 ? 0 : SomeRefused;
    }
}
