using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Reads <see cref="SecurityOptions.KeysFile"/> (resolved against the content root when the host starts) into
/// <see cref="ApiKeysFile"/>, and tells the options monitor when the file changes: keys are rotated by editing the
/// file, without a restart, and nothing is read on the request path.
/// </summary>
public sealed class ApiKeysFileSource : IConfigureOptions<ApiKeysFile>, IOptionsChangeTokenSource<ApiKeysFile>, IDisposable
{
    static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web);
    readonly string? _path;
    readonly PhysicalFileProvider? _directory;

    public ApiKeysFileSource(IOptions<SecurityOptions> options, IHostEnvironment environment)
    {
        if (options.Value.KeysFile is not { Length: > 0 } configured)
        {
            return;
        }
        _path = Path.GetFullPath(configured, environment.ContentRootPath);
        var directory = Path.GetDirectoryName(_path)!;
        // No directory, nothing to watch: the read below reports the missing file.
        _directory = Directory.Exists(directory) ? new PhysicalFileProvider(directory, ExclusionFilters.None) : null;
    }

    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => _directory?.Watch(Path.GetFileName(_path!)) ?? NullChangeToken.Singleton;

    public void Configure(ApiKeysFile file)
    {
        file.Path = _path;
        if (_path is null)
        {
            return;
        }
        try
        {
            file.Keys = JsonSerializer.Deserialize<KeysJson>(File.ReadAllText(_path), FileJson)?.Keys ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            file.ReadError = e;
        }
    }

    public void Dispose() => _directory?.Dispose();

    /// <summary>The file's shape: <c>{"keys": [...]}</c>, entries as <see cref="SecurityOptions.Keys"/>.</summary>
    sealed class KeysJson
    {
        public List<ApiKeyOptions> Keys { get; set; } = [];
    }
}
