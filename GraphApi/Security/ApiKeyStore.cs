using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Looks up API keys by the SHA-256 of the presented secret. Keys come from configuration and from
/// <see cref="SecurityOptions.KeysFile"/>, which is re-read when its timestamp changes (rotation without restart).
/// </summary>
public sealed class ApiKeyStore(IOptionsMonitor<SecurityOptions> options, ILogger<ApiKeyStore> log, Microsoft.Extensions.Hosting.IHostEnvironment environment)
{
    static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web);
    readonly Lock _gate = new();
    DateTime _fileStamp;
    string? _filePath;
    IReadOnlyList<ApiKeyOptions> _fileKeys = [];

    public ApiKeyOptions? Find(string secret)
    {
        var hash = Hash(secret);
        return AllKeys().FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(k.Sha256.ToLowerInvariant()), Encoding.ASCII.GetBytes(hash)));
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    IEnumerable<ApiKeyOptions> AllKeys() => options.CurrentValue.Keys.Concat(FileKeys());

    IReadOnlyList<ApiKeyOptions> FileKeys()
    {
        var configured = options.CurrentValue.KeysFile;
        if (string.IsNullOrEmpty(configured))
        {
            return [];
        }
        var path = Path.GetFullPath(configured, environment.ContentRootPath);
        lock (_gate)
        {
            var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            if (path == _filePath && stamp == _fileStamp)
            {
                return _fileKeys;
            }
            try
            {
                var file = JsonSerializer.Deserialize<KeysFile>(File.ReadAllText(path), FileJson) ?? new KeysFile();
                _fileKeys = file.Keys;
                log.LogInformation("Loaded {Count} API keys from {Path}", file.Keys.Count, path);
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Keep the last good keys: a half-written file during rotation must not lock everyone out.
                log.LogError(e, "Cannot read API keys file {Path}; keeping the previous keys", path);
            }
            _filePath = path;
            _fileStamp = stamp;
            return _fileKeys;
        }
    }

    sealed class KeysFile
    {
        public List<ApiKeyOptions> Keys { get; set; } = [];
    }
}
