using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ThreatGraph.Cli.Ingest;

/// <summary>Posts one bundle file to <c>POST /api/bundles</c> and reads the answer into a <see cref="FileAnswer"/>.</summary>
public sealed class BundleUploader(HttpClient http)
{
    static readonly string[] Outcomes = ["created", "updated", "unchanged", "rejected"];

    public async Task<FileAnswer> SendAsync(string file, CancellationToken cancel)
    {
        var name = Path.GetFileName(file);
        string body;
        HttpResponseMessage response;
        try
        {
            using var content = new StreamContent(File.OpenRead(file));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            response = await http.PostAsync("api/bundles", content, cancel);
            body = await response.Content.ReadAsStringAsync(cancel);
        }
        catch (IOException e) when (e is not HttpIOException)
        {
            return Refused($"{name}: cannot read the file: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            throw new IngestStoppedException($"cannot reach ThreatGraph at {http.BaseAddress}: {e.Message}. Is it running (dotnet run --project Silo)?", e);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var error = ErrorOf(body);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized:
                    throw new IngestStoppedException($"wrong API key: {http.BaseAddress} refused it (HTTP 401: {error}). Check --key or ${IngestCommand.KeyVariable}.");
                case HttpStatusCode.Forbidden:
                    throw new IngestStoppedException($"this API key may not ingest (HTTP 403: {error}).");
                case var _ when !response.IsSuccessStatusCode:
                    var retry = response.Headers.RetryAfter?.Delta is { } delta ? $" (retry after {delta.TotalSeconds:0} s)" : "";
                    return Refused($"{name}: HTTP {status}: {error}{retry}");
            }
            try
            {
                return Read(name, body);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new IngestStoppedException($"{http.BaseAddress} did not answer as ThreatGraph does (HTTP {status}, {Truncate(body)}): is --url right?", e);
            }
        }
    }

    static FileAnswer Read(string name, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var totals = Outcomes.ToDictionary(o => o, o => root.GetProperty("totals").GetProperty(o).GetInt32());
        var problems = new List<string>();
        foreach (var o in root.GetProperty("objects").EnumerateArray().Where(o => o.GetProperty("outcome").GetString() == "rejected"))
        {
            var first = o.GetProperty("errors").EnumerateArray().FirstOrDefault();
            var id = o.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : o.GetProperty("path").GetString();
            problems.Add($"{name}: {id} rejected: {(first.ValueKind == JsonValueKind.Object ? first.GetProperty("message").GetString() : "no reason given")}");
        }
        foreach (var issue in root.GetProperty("envelopeIssues").EnumerateArray().Where(i => i.GetProperty("level").GetString() == "error"))
        {
            problems.Add($"{name}: bundle: {issue.GetProperty("message").GetString()}");
        }
        var rejected = totals["rejected"];
        return new FileAnswer(totals.Values.Sum(), totals.Values.Sum() - rejected, rejected, totals, problems);
    }

    /// <summary>The server's error body (<c>{"error": {"code", "message"}}</c>) in words, or the body itself.</summary>
    static string ErrorOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                return $"{e.GetProperty("code").GetString()}: {e.GetProperty("message").GetString()}";
            }
        }
        catch (JsonException)
        {
        }
        return Truncate(body);
    }

    static string Truncate(string body) => body.Length == 0 ? "empty body" : body.Length > 300 ? body[..300] + "…" : body;

    static FileAnswer Refused(string problem) => new(0, 0, 0, new Dictionary<string, int>(), [problem]);
}
