using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ThreatGraph.Silo.Cli;

/// <summary>
/// Sends STIX bundles from files or folders to a running ThreatGraph, with a progress bar and a summary.
/// Exit code: 0 all accepted, 1 some objects rejected or some files failed, 2 usage error.
/// </summary>
public static class IngestCommand
{
    static readonly string[] Extensions = [".json", ".stix2", ".stix"];

    public static async Task<int> RunAsync(string[] args)
    {
        var url = "http://127.0.0.1:5080";
        var key = Environment.GetEnvironmentVariable("THREATGRAPH_API_KEY");
        var paths = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--url" && i + 1 < args.Length) url = args[++i].TrimEnd('/');
            else if (args[i] == "--key" && i + 1 < args.Length) key = args[++i];
            else paths.Add(args[i]);
        }
        if (string.IsNullOrEmpty(key))
        {
            Console.Error.WriteLine("usage: ingest --key API_KEY [--url http://127.0.0.1:5080] FILE_OR_FOLDER...   (or set THREATGRAPH_API_KEY)");
            return 2;
        }
        var missing = paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"no such file or folder: {string.Join(", ", missing)} (relative to {Environment.CurrentDirectory})");
            return 2;
        }
        var files = paths.SelectMany(Expand).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: ingest --key API_KEY [--url http://127.0.0.1:5080] FILE_OR_FOLDER...   (no .json/.stix2 files found)");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var totals = new Dictionary<string, int> { ["created"] = 0, ["updated"] = 0, ["unchanged"] = 0, ["rejected"] = 0 };
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < files.Count; n++)
        {
            Progress(n, files.Count, totals, Path.GetFileName(files[n]));
            try
            {
                await SendAsync(http, files[n], totals, problems);
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"\ncannot reach ThreatGraph at {url}: {e.Message}. Is it running (dotnet run --project Silo)?");
                return 1;
            }
        }
        Progress(files.Count, files.Count, totals, "done");
        var objects = totals.Values.Sum();
        Console.WriteLine($"\n{files.Count} file(s), {objects} object(s) in {clock.Elapsed.TotalSeconds:F1} s " +
                          $"({objects / Math.Max(clock.Elapsed.TotalSeconds, 0.001):F0} objects/s): " +
                          string.Join(", ", totals.Select(t => $"{t.Value} {t.Key}")));
        foreach (var p in problems.Take(50)) Console.WriteLine("  " + p);
        if (problems.Count > 50) Console.WriteLine($"  … and {problems.Count - 50} more");
        return problems.Count == 0 ? 0 : 1;
    }

    static async Task SendAsync(HttpClient http, string file, Dictionary<string, int> totals, List<string> problems)
    {
        using var content = new StreamContent(File.OpenRead(file));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/api/bundles", content);
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        if (!response.IsSuccessStatusCode)
        {
            var message = doc.RootElement.TryGetProperty("error", out var e) ? e.GetProperty("message").GetString() : body;
            problems.Add($"{file}: HTTP {(int)response.StatusCode}: {message}");
            return;
        }
        foreach (var t in doc.RootElement.GetProperty("totals").EnumerateObject())
        {
            if (totals.ContainsKey(t.Name)) totals[t.Name] += t.Value.GetInt32();
        }
        foreach (var o in doc.RootElement.GetProperty("objects").EnumerateArray())
        {
            if (o.GetProperty("outcome").GetString() == "rejected")
            {
                var first = o.GetProperty("errors").EnumerateArray().FirstOrDefault();
                problems.Add($"{file}: {o.GetProperty("id")} rejected: {(first.ValueKind == JsonValueKind.Object ? first.GetProperty("message").GetString() : "?")}");
            }
        }
        foreach (var issue in doc.RootElement.GetProperty("envelopeIssues").EnumerateArray())
        {
            if (issue.GetProperty("level").GetString() == "error")
                problems.Add($"{file}: bundle: {issue.GetProperty("message").GetString()}");
        }
    }

    static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
            : [path];

    static void Progress(int done, int total, Dictionary<string, int> totals, string current)
    {
        const int width = 30;
        var filled = total == 0 ? width : done * width / total;
        var line = $"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} files, {totals.Values.Sum()} objects  {current}";
        Console.Write(line.Length > 110 ? line[..110] : line.PadRight(110));
    }
}
