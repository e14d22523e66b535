using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Looks up API keys by the SHA-256 of the presented secret. Keys come from configuration and from
/// <see cref="SecurityOptions.KeysFile"/>; both are options the host re-reads when they change (configuration reload,
/// <see cref="ApiKeysFileSource"/>), and the store swaps in the new set then, so a lookup reads one immutable array.
/// An entry that breaks <see cref="CredentialRules"/> (reserved or unknown organisation, member outside it, a hash
/// that is not 64 hex digits) is refused: in configuration it stops the start-up, in the file it is left out with an
/// error naming it (a bad entry written during a rotation must not lock everyone else out). A file that cannot be
/// read (half written) leaves the previous file keys in force.
/// A lookup compares the hash with every key in fixed time, so its duration does not tell whether a key exists.
/// </summary>
public sealed class ApiKeyStore : IHostedService, IDisposable
{
    readonly IOptionsMonitor<SecurityOptions> _options;
    readonly IOptionsMonitor<CommunityOptions> _community;
    readonly ILogger<ApiKeyStore> _log;
    readonly Lock _reload = new();
    readonly IDisposable? _configChanges;
    readonly IDisposable? _fileChanges;
    Entry[] _configKeys = [];
    Entry[] _fileKeys = [];
    volatile Entry[] _keys = [];

    sealed record Entry(byte[] Hash, ApiKeyOptions Key);

    public ApiKeyStore(IOptionsMonitor<SecurityOptions> options, IOptionsMonitor<ApiKeysFile> file, IOptionsMonitor<CommunityOptions> community,
        ILogger<ApiKeyStore> log)
    {
        (_options, _community, _log) = (options, community, log);
        // Loaded when the store is built (before any request), then again on every change.
        LoadConfiguration(options.CurrentValue);
        LoadFile(file.CurrentValue);
        _configChanges = options.OnChange(LoadConfiguration);
        _fileChanges = file.OnChange(LoadFile);
    }

    public ApiKeyOptions? Find(string secret)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        ApiKeyOptions? found = null;
        // Every entry is compared, also after a match: the time taken depends on the number of keys only.
        foreach (var entry in _keys)
        {
            var same = CryptographicOperations.FixedTimeEquals(entry.Hash, presented);
            found = same && found is null ? entry.Key : found;
        }
        return found;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A refused key from configuration stops the start-up with the setting's name.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = _options.CurrentValue.Keys
            .Select((k, i) => Problem(k) is { } p ? $"{SecurityOptions.Section}:Keys:{i}:{p.Field}: API key '{k.Id}' {p.Reason}; it would authenticate nobody" : null)
            .OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SecurityOptions.Section, typeof(SecurityOptions), problems);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _configChanges?.Dispose();
        _fileChanges?.Dispose();
    }

    void LoadConfiguration(SecurityOptions options)
    {
        lock (_reload)
        {
            // Configuration re-read while running: bad entries are refused as in the file (start-up stopped for them).
            _configKeys = Accept(options.Keys, i => $"configuration {SecurityOptions.Section}:Keys:{i}");
            _keys = [.. _configKeys, .. _fileKeys];
        }
    }

    void LoadFile(ApiKeysFile file)
    {
        if (file.Path is null)
        {
            return;
        }
        if (file.ReadError is { } error)
        {
            // Keep the last good keys: a half-written file during rotation must not lock everyone out.
            _log.LogError(error, "Cannot read API keys file {Path}; keeping the previous keys", file.Path);
            return;
        }
        lock (_reload)
        {
            _fileKeys = Accept(file.Keys, i => $"keys[{i}] in {file.Path}");
            _keys = [.. _configKeys, .. _fileKeys];
        }
        _log.LogInformation("Loaded {Count} API keys from {Path}", _fileKeys.Length, file.Path);
    }

    Entry[] Accept(IReadOnlyList<ApiKeyOptions> keys, Func<int, string> where)
    {
        var accepted = new List<Entry>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (Problem(keys[i]) is { } problem)
            {
                _log.LogError("API key '{Id}' ({Where}, {Field}) refused, it authenticates nobody: it {Problem}", keys[i].Id, where(i), problem.Field, problem.Reason);
                continue;
            }
            accepted.Add(new Entry(Convert.FromHexString(keys[i].Sha256), keys[i]));
        }
        return [.. accepted];
    }

    /// <summary>Which field of this key is wrong and why (naming the organisation or member, never the hash), or null.</summary>
    (string Field, string Reason)? Problem(ApiKeyOptions key)
    {
        if (CredentialRules.OrgProblem(key.Org, _community.CurrentValue) is { } org)
        {
            return ("Org", org);
        }
        if (CredentialRules.MemberProblem(key.Org, key.Member) is { } member)
        {
            return ("Member", member);
        }
        return key.Sha256 is { Length: 64 } hex && hex.All(char.IsAsciiHexDigit) ? null : ("Sha256", "has a sha256 that is not 64 hexadecimal digits");
    }
}
