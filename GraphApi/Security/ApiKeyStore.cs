using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Looks up API keys by the SHA-256 of the presented secret. Keys come from configuration and from
/// <see cref="SecurityOptions.KeysFile"/>, which is re-read when its timestamp changes (rotation without restart).
/// An entry that breaks <see cref="CredentialRules"/> (reserved or unknown organisation, member outside it, a hash
/// that is not 64 hex digits) is refused: in configuration it stops the start-up, in the file it is left out with an
/// error naming it (a bad entry written during a rotation must not lock everyone else out).
/// A lookup compares the hash with every key in fixed time, so its duration does not tell whether a key exists.
/// </summary>
public sealed class ApiKeyStore(
    IOptionsMonitor<SecurityOptions> options, IOptionsMonitor<CommunityOptions> community, ILogger<ApiKeyStore> log, IHostEnvironment environment)
    : IHostedService
{
    static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web);
    readonly Lock _gate = new();
    DateTime _fileStamp;
    string? _filePath;
    IReadOnlyList<Entry> _fileKeys = [];
    SecurityOptions? _configSource;
    IReadOnlyList<Entry> _configKeys = [];

    sealed record Entry(byte[] Hash, ApiKeyOptions Key);

    public ApiKeyOptions? Find(string secret)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        ApiKeyOptions? found = null;
        // Every entry is compared, also after a match: the time taken depends on the number of keys only.
        foreach (var entry in ConfigKeys().Concat(FileKeys()))
        {
            var same = CryptographicOperations.FixedTimeEquals(entry.Hash, presented);
            found = same && found is null ? entry.Key : found;
        }
        return found;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Loads the keys when the host starts, so refusals are logged at start-up; a refused key from
    /// configuration stops the start-up with the setting's name.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = options.CurrentValue.Keys
            .Select((k, i) => Problem(k) is { } p ? $"{SecurityOptions.Section}:Keys:{i}:{p.Field}: API key '{k.Id}' {p.Reason}; it would authenticate nobody" : null)
            .OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SecurityOptions.Section, typeof(SecurityOptions), problems);
        }
        _ = FileKeys();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    IReadOnlyList<Entry> ConfigKeys()
    {
        var current = options.CurrentValue;
        lock (_gate)
        {
            if (!ReferenceEquals(current, _configSource))
            {
                // Configuration re-read while running: refuse bad entries as the file does (start-up checked them already).
                _configKeys = Accept(current.Keys, i => $"configuration {SecurityOptions.Section}:Keys:{i}");
                _configSource = current;
            }
            return _configKeys;
        }
    }

    IReadOnlyList<Entry> FileKeys()
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
                _fileKeys = Accept(file.Keys, i => $"keys[{i}] in {path}");
                log.LogInformation("Loaded {Count} API keys from {Path}", _fileKeys.Count, path);
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

    List<Entry> Accept(IReadOnlyList<ApiKeyOptions> keys, Func<int, string> where)
    {
        var accepted = new List<Entry>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (Problem(keys[i]) is { } problem)
            {
                log.LogError("API key '{Id}' ({Where}, {Field}) refused, it authenticates nobody: it {Problem}", keys[i].Id, where(i), problem.Field, problem.Reason);
                continue;
            }
            accepted.Add(new Entry(Convert.FromHexString(keys[i].Sha256), keys[i]));
        }
        return accepted;
    }

    /// <summary>Which field of this key is wrong and why (naming the organisation or member, never the hash), or null.</summary>
    (string Field, string Reason)? Problem(ApiKeyOptions key)
    {
        if (CredentialRules.OrgProblem(key.Org, community.CurrentValue) is { } org)
        {
            return ("Org", org);
        }
        if (CredentialRules.MemberProblem(key.Org, key.Member) is { } member)
        {
            return ("Member", member);
        }
        return key.Sha256 is { Length: 64 } hex && hex.All(char.IsAsciiHexDigit) ? null : ("Sha256", "has a sha256 that is not 64 hexadecimal digits");
    }

    sealed class KeysFile
    {
        public List<ApiKeyOptions> Keys { get; set; } = [];
    }
}
